package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"renke/config"
	"renke/report/render"
	"renke/reporting"
)

func init() {
	register("city", "all stored surveys' rates, intervals, verdicts and data-quality warnings in one table (xlsx or html)", runCity)
}

func runCity(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("city", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	out := fs.String("out", "", "output file, .xlsx or .html (required)")
	format := fs.String("format", "", "xlsx or html (default: from the --out extension)")
	counties := fs.String("counties", "", "comma-separated county names (default: all)")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *out == "" {
		return errors.New("--out is required")
	}
	write, err := cityWriter(*format, *out)
	if err != nil {
		return err
	}
	rows, err := reporting.CityRows(ctx, e.store, splitList(*counties), reporting.Build)
	if err != nil {
		return err
	}
	w, err := output(*out)
	if err != nil {
		return err
	}
	if err := write(w, rows, time.Now().UTC(), config.Version); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}

// cityWriter picks the city view's format from --format or the file extension.
func cityWriter(format, out string) (func(io.Writer, []render.CityRow, time.Time, string) error, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
	}
	if format == "htm" {
		format = "html"
	}
	if f, ok := render.CityFormatNamed(format); ok {
		return f.Write, nil
	}
	return nil, fmt.Errorf("--format %q: want xlsx or html", format)
}

// splitList splits a comma-separated list; empty gives nil (everything).
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
