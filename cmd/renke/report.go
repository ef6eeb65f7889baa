package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"renke/config"
	"renke/report"
	"renke/report/render"
	"renke/reporting"
)

func init() {
	register("report", "a stored survey's recognition report (json, html, pdf, xlsx)", runReport)
	register("export", "a stored survey's replication file (CSV with weights, strata and PSUs)", runExport)
}

// output opens --out, or stdout for "-" or empty.
func output(path string) (io.WriteCloser, error) {
	if path == "" || path == "-" {
		return nopCloser{os.Stdout}, nil
	}
	if filepath.Clean(path) != path && strings.Contains(path, "..") {
		return nil, fmt.Errorf("--out %q: write to a plain path", path)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--out: %w", err)
	}
	return f, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func runReport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id (required)")
	format := fs.String("format", "json", "output format")
	out := fs.String("out", "", "output file (default stdout)")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	f, ok := render.FormatNamed(*format)
	if !ok {
		return fmt.Errorf("--format %q: want one of %s", *format, render.FormatNames())
	}
	if *id == "" {
		return errors.New("--survey is required")
	}
	p, err := reporting.Build(ctx, e.store, *id)
	if err != nil {
		return err
	}
	if !p.HasData() {
		return noDataError(p)
	}
	w, err := output(*out)
	if err != nil {
		return err
	}
	if err := f.Write(w, p); err != nil {
		w.Close()
		return fmt.Errorf("render %s: %w", *format, err)
	}
	return w.Close()
}

// noDataError is the command line's answer for a survey without estimates.
func noDataError(p *report.Published) error {
	return errors.New(p.NoDataMessage())
}
