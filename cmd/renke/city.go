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
	"renke/store"
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
	rows, err := cityRows(ctx, e.store, splitList(*counties))
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
	switch format {
	case "xlsx":
		return render.CityXLSX, nil
	case "html", "htm":
		return render.CityHTML, nil
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

// cityRows builds every survey's report. A survey whose report cannot be
// built (no valid response yet, a broken record) gets a row saying why
// instead of stopping the others.
func cityRows(ctx context.Context, st *store.Store, counties []string) ([]render.CityRow, error) {
	svs, err := st.Surveys(ctx, counties)
	if err != nil {
		return nil, err
	}
	if len(svs) == 0 {
		return nil, errors.New("没有找到任何调查")
	}
	rows := make([]render.CityRow, 0, len(svs))
	for _, sv := range svs {
		rep, d, err := reporting.Build(ctx, st, sv.ID)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			rows = append(rows, render.CityRow{SurveyID: sv.ID, County: sv.County, Title: sv.Title, Status: sv.Status,
				Problem: "无法生成报告：" + err.Error()})
			continue
		}
		row, err := render.NewCityRow(renderInput(rep, d))
		if err != nil {
			return nil, fmt.Errorf("survey %s: %w", sv.ID, err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}
