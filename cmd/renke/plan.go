package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"renke/casework"
	"renke/config"
)

func init() {
	register("plan", "draw a survey's sample from its frame, and issue the plan's shared codes", subcommands("plan", []subcommand{
		{"draw", "SURVEY_ID [--seed N] [--void-codes]", "draw the survey's sample from its frame", planDraw},
		{"codes", "SURVEY_ID", "issue the shared codes of the survey's plan", planCodes},
	}))
}

// frameUpload stores a checked frame for a draft survey of the same county.
func frameUpload(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("frame upload", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id (required)")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *id == "" || fs.NArg() != 1 {
		return errors.New("usage: renke frame upload --survey ID frame.xlsx (or frame.json)")
	}
	f, err := loadFrame(fs.Arg(0))
	if err != nil {
		return err
	}
	if _, err := e.app().SaveFrame(ctx, casework.CLI(), *id, f); err != nil {
		return err
	}
	s := casework.SummarizeFrame(f)
	fmt.Fprintf(stdout, "抽样框已通过检查并保存：%s，学校 %d 所，在校生 %d，教师 %d\n", f.County.Name, s.Schools, s.Pupils, s.Teachers)
	return nil
}

func planDraw(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("plan draw", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	seed := fs.Int64("seed", 0, "random seed (0: a new one)")
	rate := fs.Float64("rate", 0, "sampling rate in per mille (0: the default 1.5)")
	floor := fs.Int("floor", 0, "minimum sample size")
	take := fs.Int("take", 0, "respondents per school (0: the default)")
	void := fs.Bool("void-codes", false, "confirm that the codes issued from the current plan are voided by the redraw")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() != 1 {
		return errors.New("usage: renke plan draw SURVEY_ID [--seed N] [--void-codes]")
	}
	in := casework.PlanInput{RatePermille: *rate, Floor: *floor, TakePerSchool: *take, VoidCodes: *void}
	if *seed != 0 {
		in.Seed = seed
	}
	p, err := e.app().DrawPlan(ctx, casework.CLI(), fs.Arg(0), in)
	var ce *casework.Error
	if errors.As(err, &ce) && ce.Confirm {
		return &casework.Error{Kind: ce.Kind, Msg: ce.Msg + "（命令行确认：加 --void-codes）", Confirm: true}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已抽取样本：种子 %d，样本量 %d，学校 %d 所\n", p.Seed, p.Total, len(p.Schools))
	return nil
}

func planCodes(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("plan codes", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if fs.NArg() != 1 {
		return errors.New("usage: renke plan codes SURVEY_ID")
	}
	n, err := e.app().IssuePlanCodes(ctx, casework.CLI(), fs.Arg(0))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已按抽样方案发放 %d 个共享码\n", n)
	return nil
}
