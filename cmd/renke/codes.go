package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"

	"renke/casework"
	"renke/config"
	"renke/internal/texttable"
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
	base := publicURL(e.cfg)
	for _, c := range codes {
		fmt.Fprintln(stdout, c.URL(base))
	}
	return nil
}

// codeRow is one line of `renke codes`; its JSON is what `renke sheets` reads.
type codeRow struct {
	Code       string            `json:"code"`
	URL        string            `json:"url"`
	Kind       survey.CodeKind   `json:"kind"`
	School     string            `json:"school,omitempty"`
	SchoolName string            `json:"school_name,omitempty"`
	Township   string            `json:"township,omitempty"`
	Group      survey.Group      `json:"group"`
	Band       survey.Band       `json:"band,omitempty"`
	Urbanicity survey.Urbanicity `json:"urbanicity,omitempty"`
	Quota      int               `json:"quota,omitempty"`
	Used       int64             `json:"used"`
	State      survey.CodeUse    `json:"state"`
	StateLabel string            `json:"state_label"`
	Purpose    string            `json:"purpose"`
	Batch      string            `json:"batch,omitempty"`
	Created    time.Time         `json:"created"`
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
	base := publicURL(e.cfg)
	survey.OrderCodes(codes)
	rows := make([]codeRow, 0, len(codes))
	for _, c := range codes {
		st := survey.UseOf(c, used[c.Code])
		rows = append(rows, codeRow{Code: c.Code, URL: c.URL(base), Kind: c.Kind, School: c.School,
			SchoolName: c.SchoolName, Township: c.Township, Group: c.Group, Band: c.Band, Urbanicity: c.Urbanicity, Quota: c.Quota,
			Used: used[c.Code], State: st, StateLabel: st.Label(), Purpose: c.Purpose(), Batch: c.Batch, Created: c.Created,
			OutOfPlan: c.OutOfPlan, Voided: c.Voided})
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tb := texttable.New()
	tb.Row("类型", "学校（乡镇街道）", "对象", "学段", "名额", "已用", "状态", "链接")
	for _, r := range rows {
		kind, school, quota := "共享码", "全县", strconv.Itoa(r.Quota)
		if r.Kind == survey.OneTimeCode {
			kind, quota = "一次性码", "1"
		}
		if c := (survey.Code{School: r.School, SchoolName: r.SchoolName, Township: r.Township}); c.SchoolLabel() != "" {
			school = c.SchoolLabel()
		}
		band := "不限"
		if r.Band != "" {
			band = r.Band.Label()
		}
		state := r.StateLabel
		if r.OutOfPlan != "" {
			state += "（计划外：" + r.OutOfPlan + "）"
		}
		tb.Row(kind, school, r.Group.Label(), band, quota, strconv.FormatInt(r.Used, 10), state, r.URL)
	}
	_, err = tb.WriteTo(stdout)
	return err
}

// publicURL is the base of the links a command prints: --public-url,
// RENKE_PUBLIC_URL or the one the server uses. When none is known the links
// are printed as paths, with a note on standard error, rather than guessed.
func publicURL(cfg *config.Config) string {
	if cfg.PublicURL == "" {
		fmt.Fprintln(os.Stderr, "注意："+config.ErrNoPublicURL.Error()+"。以下链接只给出路径。")
	}
	return cfg.PublicURL
}
