package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"renke/report"
)

func init() {
	register("estimate", "estimate the recognition rate from a replication CSV file (prints JSON)", runEstimate)
}

func runEstimate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("estimate", flag.ContinueOnError)
	in := fs.String("in", "", "replication CSV file written by `renke export` (required)")
	gw := fs.String("group-weights", "", "group weights W_g, e.g. parent=0.5,student=0.1,... (default: parents 1/2, every other group 1/12; normalised over the groups present)")
	bar := fs.Float64("bar", report.DefaultBar, "pass mark of the recognition rate")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	if *in == "" {
		return errors.New("--in is required")
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	weights, err := report.ParseGroupWeights(*gw)
	if err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return fmt.Errorf("open replication file: %w", err)
	}
	defer f.Close()
	s, err := report.EstimateReplication(ctx, f, weights, *bar)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}
