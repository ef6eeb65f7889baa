package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"renke/config"
	"renke/report/render"
	"renke/reporting"
)

func init() {
	register("city", "all stored surveys' rates, intervals, verdicts and data-quality warnings in one table (xlsx or html)", runCity)
}

// cityTTL is how long `renke city --warm` keeps what it read, as the console does.
const cityTTL = 10 * time.Minute

func runCity(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("city", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	var outs []string
	fs.Func("out", "output file, .xlsx or .html (required; repeat it for several files from one build)", func(s string) error {
		outs = append(outs, s)
		return nil
	})
	format := fs.String("format", "", "xlsx or html (default: from the --out extension; one --out only)")
	counties := fs.String("counties", "", "comma-separated county names (default: all)")
	warm := fs.Int("warm", 0, "build the view this many more times from what the first build read, printing each build's time")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the builds to this file")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if len(outs) == 0 {
		return errors.New("--out is required")
	}
	if *format != "" && len(outs) > 1 {
		return errors.New("--format takes one --out; name each file with its extension")
	}
	if *warm < 0 {
		return errors.New("--warm must not be negative")
	}
	writers := make([]func(io.Writer, []render.CityRow, time.Time, string) error, len(outs))
	for i, out := range outs {
		if writers[i], err = cityWriter(*format, out); err != nil {
			return err
		}
	}
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	// A one-shot build holds every county's responses at once (about 1.7 KB
	// each, 65 MB for 38 counties of 1,000): collect garbage at 4× the live
	// heap rather than 2×, for a fifth of the collector's CPU.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	cache := reporting.NewCache(max(e.cfg.ReportCache, 1), cityTTL).LimitResponses(e.cfg.ReportCacheResponses)
	for n := 0; n <= *warm; n++ {
		t, cpu := time.Now(), cpuTime()
		rows, err := reporting.CityRows(ctx, e.store, splitList(*counties), cache.Build)
		if err != nil {
			return err
		}
		at := time.Now().UTC()
		for i, out := range outs {
			if err := writeCity(out, writers[i], rows, at); err != nil {
				return err
			}
		}
		if *warm > 0 {
			fmt.Fprintf(os.Stderr, "第 %d 次生成（%d 个调查）：%.2f 秒（CPU %.2f 秒）\n", n+1, len(rows),
				time.Since(t).Seconds(), (cpuTime() - cpu).Seconds())
		}
	}
	return nil
}

// writeCity writes the city view's rows to one output file.
func writeCity(out string, write func(io.Writer, []render.CityRow, time.Time, string) error, rows []render.CityRow, at time.Time) error {
	w, err := output(out)
	if err != nil {
		return err
	}
	if err := write(w, rows, at, config.Version); err != nil {
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
