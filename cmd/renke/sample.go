package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"renke/sampling"
	"renke/survey"
)

func init() {
	register("sample", "draw a reproducible stratified sample plan from a frame", runSample)
}

func runSample(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	framePath := fs.String("frame", "", "sampling frame, .xlsx or .json (required)")
	var opt sampling.Options
	fs.Func("seed", "random seed (default: drawn and recorded in the plan)", func(s string) error {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return fmt.Errorf("seed must be a whole number: %w", err)
		}
		opt.Seed = &v
		return nil
	})
	fs.Float64Var(&opt.Rate, "rate", sampling.DefaultRate, "sample share of the resident population")
	fs.IntVar(&opt.Floor, "floor", 0, "smallest total sample, e.g. 600 (0 = none)")
	fs.IntVar(&opt.TakePerSchool, "take", sampling.DefaultTakePerSchool, "target students+parents+teachers per drawn school")
	fs.Float64Var(&opt.AssumedRate, "assumed-rate", sampling.DefaultAssumedRate, "true recognition rate assumed for the expected precision")
	fs.Float64Var(&opt.ICC, "icc", sampling.DefaultICC, "assumed intra-school correlation for the expected precision (0 = default 0.05, negative = none)")
	format := fs.String("format", "json", "json or xlsx")
	out := fs.String("out", "-", "output file (- = standard output, json only)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *framePath == "" {
		return errors.New("--frame is required")
	}
	if *format != "json" && *format != "xlsx" {
		return fmt.Errorf("unknown --format %q (want json or xlsx)", *format)
	}
	if *format == "xlsx" && *out == "-" {
		return errors.New("--format xlsx needs --out FILE")
	}
	f, err := loadFrame(*framePath)
	if err != nil {
		return err
	}
	plan, err := sampling.MakePlan(f, opt)
	if err != nil {
		return err
	}
	var w io.Writer = os.Stdout
	var fh *os.File
	if *out != "-" {
		if fh, err = os.Create(*out); err != nil {
			return err
		}
		w = fh
	}
	if *format == "xlsx" {
		err = plan.WriteXLSX(w)
	} else {
		var data []byte
		if data, err = plan.JSON(); err == nil {
			_, err = w.Write(data)
		}
	}
	if fh != nil {
		if cerr := fh.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", *out, cerr)
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s：样本量 %d，随机种子 %d，抽中学校 %d 所；", plan.County, plan.Total, plan.Seed, len(plan.Schools))
	for _, g := range survey.Groups {
		fmt.Fprintf(os.Stderr, " %s %d", g.Label(), plan.ByGroup[g])
	}
	fmt.Fprintf(os.Stderr, "\n假定认可度 %.0f%% 时，总体认可度的预计标准误 %.2f 个百分点，达到 85%% 的概率 %.1f%%\n",
		plan.AssumedRate*100, plan.ExpectedSE*100, plan.ExpectedPassProbability*100)
	for _, n := range plan.Notes {
		fmt.Fprintln(os.Stderr, "注意：", n)
	}
	return nil
}
