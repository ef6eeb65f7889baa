package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"renke/casework"
	"renke/config"
	"renke/survey"
)

func init() {
	register("codes", "issue and list access codes", runCodes)
}

func runCodes(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "issue" {
		return codesIssue(ctx, args[1:])
	}
	return codesList(ctx, args)
}

func codesIssue(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("codes issue", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id (required)")
	kind := fs.String("kind", "", "shared or onetime (required)")
	group := fs.String("group", "", "respondent group (required)")
	count := fs.Int("count", 0, "number of one-time codes")
	quota := fs.Int("quota", 0, "quota of a shared code")
	band := fs.String("band", "", "grade band: g1-2, g3-4, g5-6 or g7-9")
	school := fs.String("school", "", "school code (students, parents and teachers)")
	schoolName := fs.String("school-name", "", "school name, when the survey has no plan")
	township := fs.String("township", "", "school's township, when the survey has no plan")
	urb := fs.String("urbanicity", "", "城区, 镇区 or 乡村, when the survey has no plan")
	outOfPlan := fs.String("out-of-plan", "", "reason for issuing outside the survey's sampling plan (audited, listed in the report)")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *id == "" {
		return errors.New("--survey is required")
	}
	in := casework.IssueInput{Kind: *kind, Group: *group, Count: *count, Quota: *quota, Band: *band, School: *school,
		SchoolName: *schoolName, Township: *township, Urbanicity: *urb, OutOfPlan: *outOfPlan}
	codes, err := e.app().IssueCodes(ctx, casework.CLI(), *id, in)
	if err != nil {
		return err
	}
	for _, c := range codes {
		fmt.Fprintln(stdout, c.URL(e.cfg.PublicURL))
	}
	return nil
}

// codeRow is one line of `renke codes`.
type codeRow struct {
	Code       string            `json:"code"`
	URL        string            `json:"url"`
	Kind       survey.CodeKind   `json:"kind"`
	School     string            `json:"school,omitempty"`
	SchoolName string            `json:"school_name,omitempty"`
	Group      survey.Group      `json:"group"`
	Band       survey.Band       `json:"band,omitempty"`
	Urbanicity survey.Urbanicity `json:"urbanicity,omitempty"`
	Quota      int               `json:"quota,omitempty"`
	Used       int64             `json:"used"`
	OutOfPlan  string            `json:"out_of_plan,omitempty"`
	Voided     time.Time         `json:"voided,omitzero"`
}

func codesList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("codes", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id (required)")
	format := fs.String("format", "table", "table or json")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *id == "" {
		return errors.New("--survey is required")
	}
	if _, err := e.store.Survey(ctx, *id); err != nil {
		return err
	}
	codes, err := e.store.Codes(ctx, *id)
	if err != nil {
		return err
	}
	used, err := e.store.CountsByCode(ctx, *id)
	if err != nil {
		return err
	}
	rows := make([]codeRow, 0, len(codes))
	for _, c := range codes {
		rows = append(rows, codeRow{Code: c.Code, URL: c.URL(e.cfg.PublicURL), Kind: c.Kind, School: c.School,
			SchoolName: c.SchoolName, Group: c.Group, Band: c.Band, Urbanicity: c.Urbanicity, Quota: c.Quota, Used: used[c.Code],
			OutOfPlan: c.OutOfPlan, Voided: c.Voided})
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "类型\t对象\t学校\t学段\t名额\t已用\t状态\t链接")
	for _, r := range rows {
		state := "有效"
		if !r.Voided.IsZero() {
			state = "已作废"
		} else if r.OutOfPlan != "" {
			state = "计划外：" + r.OutOfPlan
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.Kind, r.Group.Label(), r.SchoolName, r.Band, r.Quota, r.Used, state, r.URL)
	}
	return tw.Flush()
}
