package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"renke/casework"
	"renke/config"
	"renke/internal/texttable"
	"renke/survey"
)

func init() {
	register("survey", "create, list, open and close surveys", subcommands("survey", []subcommand{
		{"create", "--county NAME [--title T] [--opens TIME] [--closes TIME] [--scheme default|graded] [--questionnaire FILE ...]",
			"create a draft survey", surveyCreate},
		{"list", "[--format table|json]", "list the surveys", surveyList},
		{"open", "SURVEY_ID", "open a survey", transition("open")},
		{"close", "SURVEY_ID", "close a survey", transition("close")},
		{"archive", "SURVEY_ID", "archive a survey", transition("archive")},
	}))
}

// transition is the entry point of the sub-command that moves a survey by verb.
func transition(verb string) func(ctx context.Context, args []string) error {
	return func(ctx context.Context, args []string) error { return surveyTransition(ctx, verb, args) }
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// parseTime reads an RFC 3339 time or a date/time in Asia/Shanghai.
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, survey.Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("time %q: want RFC 3339 or 2006-01-02 15:04 (Asia/Shanghai)", s)
}

func surveyCreate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("survey create", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	county := fs.String("county", "", "county name (required)")
	title := fs.String("title", "", "survey title (default: <county>义务教育优质均衡发展社会认可度调查)")
	opens := fs.String("opens", "", "window opens (default now)")
	closes := fs.String("closes", "", "window closes (default opens + 30 days)")
	scheme := fs.String("scheme", "", "default (recognition rate) or graded (satisfaction index)")
	var qfiles stringList
	fs.Var(&qfiles, "questionnaire", "questionnaire YAML replacing the default of its form (repeatable)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*county) == "" {
		return errors.New("--county is required")
	}
	in := casework.NewSurvey{County: strings.TrimSpace(*county), Title: *title, Scheme: *scheme, Opens: time.Now(),
		Forms: map[survey.FormKind]survey.Questionnaire{}}
	var err error
	if *opens != "" {
		if in.Opens, err = parseTime(*opens); err != nil {
			return err
		}
	}
	in.Closes = in.Opens.Add(30 * 24 * time.Hour)
	if *closes != "" {
		if in.Closes, err = parseTime(*closes); err != nil {
			return err
		}
	}
	for _, f := range qfiles {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("questionnaire: %w", err)
		}
		q, err := survey.ParseQuestionnaireYAML(b)
		if err != nil {
			return fmt.Errorf("questionnaire %s: %w", f, err)
		}
		in.Forms[q.Kind] = q
	}
	cfg, err := finish()
	if err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	e, err := openEnv(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer e.close()
	sv, err := e.app().CreateSurvey(ctx, casework.CLI(), in)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, sv.ID)
	return nil
}

func surveyList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("survey list", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	format := fs.String("format", "table", "table or json")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	list, err := e.store.Surveys(ctx, nil)
	if err != nil {
		return err
	}
	now := time.Now()
	rows := make([]survey.Listing, 0, len(list))
	for i := range list {
		rows = append(rows, list[i].ListingAt(now))
	}
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	tb := texttable.New()
	tb.Row("ID", "区县", "状态", "开始", "结束", "标题")
	for _, r := range rows {
		tb.Row(r.ID, r.County, r.Phase.Label,
			r.Opens.In(survey.Shanghai).Format("2006-01-02 15:04"), r.Closes.In(survey.Shanghai).Format("2006-01-02 15:04"), r.Title)
	}
	_, err = tb.WriteTo(stdout)
	return err
}

func surveyTransition(ctx context.Context, verb string, args []string) error {
	fs := flag.NewFlagSet("survey "+verb, flag.ContinueOnError)
	finish := config.Flags(fs, false)
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: renke survey %s SURVEY_ID", verb)
	}
	to := map[string]survey.Status{"open": survey.Open, "close": survey.Closed, "archive": survey.Archived}[verb]
	sv, err := e.app().ChangeStatus(ctx, casework.CLI(), fs.Arg(0), to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", sv.ID, sv.PhaseAt(time.Now()).Label)
	return nil
}
