package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"renke/config"
	"renke/report"
	"renke/reporting"
)

// renderers write a built report in one file format; rendering packages add
// theirs from init (html, pdf, xlsx).
var renderers = map[string]func(w io.Writer, rep *report.Report, d *reporting.Data) error{
	"json": func(w io.Writer, rep *report.Report, d *reporting.Data) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if rep == nil {
			return enc.Encode(map[string]any{"survey_id": d.Survey.ID, "county": d.Survey.County,
				"responses": len(d.Responses), "no_data": report.ErrNoData.Error()})
		}
		return enc.Encode(rep)
	},
}

func init() {
	register("report", "a stored survey's recognition report (json, html, pdf, xlsx)", runReport)
	register("export", "a stored survey's replication file (CSV with weights, strata and PSUs)", runExport)
}

func formats() string {
	var f []string
	for k := range renderers {
		f = append(f, k)
	}
	sort.Strings(f)
	return strings.Join(f, ", ")
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
	render, ok := renderers[*format]
	if !ok {
		return fmt.Errorf("--format %q: want one of %s", *format, formats())
	}
	if *id == "" {
		return errors.New("--survey is required")
	}
	rep, d, err := reporting.Build(ctx, e.store, *id)
	if err != nil && !(errors.Is(err, report.ErrNoData) && d != nil) {
		return err
	}
	w, err := output(*out)
	if err != nil {
		return err
	}
	if err := render(w, rep, d); err != nil {
		w.Close()
		return fmt.Errorf("render %s: %w", *format, err)
	}
	return w.Close()
}
