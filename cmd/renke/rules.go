package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"renke/casework"
	"renke/config"
	"renke/report"
)

func init() {
	register("rules", "show and set a survey's data-quality rules", subcommands("rules", []subcommand{
		{"show", "SURVEY_ID [--format json]", "print a survey's rules", rulesShow},
		{"set", "SURVEY_ID key=value ...", "change some of a survey's rules", rulesSet},
	}))
	register("override", "record and list evaluators' decisions on single responses", subcommands("override", []subcommand{
		{"add", "SURVEY_ID --response ID --decision exclude|include --reason TEXT", "record a decision on one response", overrideAdd},
		{"list", "SURVEY_ID [--format json]", "list a survey's decisions", overrideList},
	}))
}

const rulesUsage = "usage: renke rules show SURVEY_ID [--format json] | renke rules set SURVEY_ID key=value ..."

// rulesShow prints a survey's rules, one key=value a line with its label.
func rulesShow(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rules show", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	format := fs.String("format", "text", "text or json")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() != 1 {
		return errors.New(rulesUsage)
	}
	rules, err := e.app().QualityRules(ctx, casework.CLI(), fs.Arg(0))
	if err != nil {
		return err
	}
	return printRules(rules, *format)
}

func printRules(rules report.RuleSettings, format string) error {
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rules)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, f := range report.SettingFields() {
		v, _ := rules.Get(f.Key)
		fmt.Fprintf(w, "%s=%s\t%s\n", f.Key, v, f.Label)
	}
	return w.Flush()
}

// rulesSet changes the named fields of a survey's rules (the others keep
// their values) through the same use case as the console and the API.
func rulesSet(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("rules set", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() < 2 {
		return errors.New(rulesUsage)
	}
	pairs := fs.Args()[1:]
	rules, err := e.app().EditQualityRules(ctx, casework.CLI(), fs.Arg(0), func(in *report.RuleSettings) error {
		var errs []string
		for _, kv := range pairs {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				errs = append(errs, fmt.Sprintf("“%s”应写作 键=值", kv))
				continue
			}
			if err := in.Set(k, v); err != nil {
				errs = append(errs, err.Error())
			}
		}
		if len(errs) > 0 {
			return casework.Errorf(casework.Invalid, "%s", strings.Join(errs, "；"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return printRules(rules, "text")
}

const overrideUsage = "usage: renke override add SURVEY_ID --response ID --decision exclude|include --reason TEXT | renke override list SURVEY_ID [--format json]"

func overrideAdd(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("override add", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	resp := fs.String("response", "", "the response's id (required)")
	decision := fs.String("decision", "", "exclude or include (required)")
	reason := fs.String("reason", "", "why (required)")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() != 1 {
		return errors.New(overrideUsage)
	}
	if *decision != "exclude" && *decision != "include" {
		return casework.Errorf(casework.Invalid, "请选择剔除或保留（--decision exclude 或 include）")
	}
	o, err := e.app().AddOverride(ctx, casework.CLI(), fs.Arg(0),
		casework.OverrideInput{ResponseID: *resp, Exclude: *decision == "exclude", Reason: *reason})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s\t%s\t%s\n", o.ResponseID, decisionLabel(o.Exclude), o.Reason)
	return nil
}

func decisionLabel(exclude bool) string {
	if exclude {
		return "剔除"
	}
	return "保留"
}

func overrideList(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("override list", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	format := fs.String("format", "text", "text or json")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() != 1 {
		return errors.New(overrideUsage)
	}
	list, err := e.app().Overrides(ctx, casework.CLI(), fs.Arg(0))
	if err != nil {
		return err
	}
	if *format == "json" {
		return json.NewEncoder(stdout).Encode(list)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, o := range list {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", o.At.Format("2006-01-02 15:04"), o.ResponseID, decisionLabel(o.Exclude), o.By, o.Reason)
	}
	return w.Flush()
}
