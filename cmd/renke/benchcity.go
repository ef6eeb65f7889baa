package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"renke/config"
	"renke/demo"
	"renke/report"
	"renke/report/render"
	"renke/reporting"
	"renke/sampling"
	"renke/store"
	"renke/survey"
)

// cityCounty is one loaded county of the city bench.
type cityCounty struct {
	survey *survey.Survey
	codes  []survey.Code
}

// runBenchCity loads a city as a user would — per county the demo frame, a
// drawn plan, its codes, an open survey and answers submitted over HTTP as
// `renke simulate` does — and prints what each county's submissions cost, and
// what the first county's reads and the city view cost, as the store fills.
func runBenchCity(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench city", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	n := fs.Int("counties", 38, "counties to load")
	seed := fs.Int64("seed", 1, "seed of the plans and the simulated answers: the same seed loads the same city")
	lo := fs.Int("min", 1000, "answers submitted for the first county")
	hi := fs.Int("max", 2000, "answers submitted for the last county (linear in between)")
	conc := fs.Int("concurrency", 8, "concurrent respondents of each county's submissions (renke simulate's default)")
	readsAt := fs.String("reads-at", "1,10,38", "after how many loaded counties the reads are timed")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	closeRound := fs.Bool("close", true, "close every survey at the end and time the city view of the ended round (false: leave the round open)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	at, err := parseSizes(*readsAt)
	if err != nil {
		return err
	}
	if *n < 1 || *lo < 1 || *hi < *lo || *conc < 1 {
		return errors.New("--counties, --min and --concurrency must be positive and --max at least --min")
	}
	b, err := startServer(ctx, fs, finish)
	if err != nil {
		return err
	}
	defer b.close()
	if *profile != "" {
		stop, err := startProfile(*profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	st := b.env.store
	fmt.Printf("renke bench city: %d counties of %d–%d answers, seed %d, concurrency %d, store %s, %d CPUs\n\n",
		*n, *lo, *hi, *seed, *conc, storeKind(b.cfg), runtime.NumCPU())
	fmt.Println("| county loaded | answers | submit time | submissions/s | CPU ms per answer | responses already stored |")
	fmt.Println("|---|---|---|---|---|---|")
	var counties []cityCounty
	var stored int64
	var reads []string
	for i := 1; i <= *n; i++ {
		c, err := loadCounty(ctx, st, i, *seed)
		if err != nil {
			return err
		}
		counties = append(counties, c)
		want := *lo
		if *n > 1 {
			want += (*hi - *lo) * (i - 1) / (*n - 1)
		}
		cpu := cpuTime()
		res, err := demo.Simulate(ctx, c.survey, c.codes, nil, demo.SimOptions{Base: b.url, Responses: want,
			Concurrency: *conc, Seed: uint64(*seed)*1000 + uint64(i)})
		if err != nil {
			return fmt.Errorf("county %d: %w", i, err)
		}
		got := res.Accepted()
		cpu = cpuTime() - cpu
		fmt.Printf("| %d | %d | %.1f s | %.0f | %.2f | %d |\n", i, got, res.Elapsed.Seconds(),
			float64(got)/res.Elapsed.Seconds(), float64(cpu.Microseconds())/1000/float64(max(got, 1)), stored)
		stored += int64(got)
		if slices.Contains(at, i) {
			row, err := cityReads(ctx, b.env, counties, stored)
			if err != nil {
				return err
			}
			reads = append(reads, row)
		}
	}
	fmt.Println("\nThe first county's reads (best of 3) and the city view, by counties stored:")
	fmt.Println()
	fmt.Println("| stored | report json / pdf | progress reads | export | verify --survey | city html cold / warm | city xlsx warm | verify --all |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, r := range reads {
		fmt.Println(r)
	}
	if !*closeRound {
		return nil
	}
	return closedCity(ctx, b.env, counties)
}

// closedCity closes every county's survey (as closed ClosedSettle ago, so
// no response can still arrive) and times the city view of the ended round.
func closedCity(ctx context.Context, e *env, counties []cityCounty) error {
	at := time.Now().Add(-2 * reporting.ClosedSettle)
	for _, c := range counties {
		sv := c.survey
		if err := sv.Transition(survey.Closed, at); err != nil {
			return err
		}
		sv.Updated = survey.TruncateTime(at)
		if err := e.store.UpdateSurvey(ctx, sv, survey.Open); err != nil {
			return err
		}
	}
	cache := reporting.NewCache(e.cfg.ReportCache, time.Hour).LimitResponses(e.cfg.ReportCacheResponses)
	var times []timing
	for range 3 {
		t, c := time.Now(), cpuTime()
		rows, err := reporting.CityRows(ctx, e.store, nil, cache.Build)
		if err == nil {
			err = render.CityHTML(io.Discard, rows, time.Now(), config.Version)
		}
		if err != nil {
			return err
		}
		times = append(times, timing{time.Since(t), cpuTime() - c})
	}
	fmt.Printf("\nThe round closed (%d counties): city html cold %v, warm %v and %v\n", len(counties), times[0], times[1], times[2])
	return nil
}

// loadCounty makes county i: the demo frame under its own name, a plan drawn
// with the county's seed, the plan's codes and an open survey.
func loadCounty(ctx context.Context, st *store.Store, i int, seed int64) (cityCounty, error) {
	name := fmt.Sprintf("压测%02d区", i)
	frame := demo.Frame()
	frame.County.Name = name
	s := seed*1000 + int64(i)
	plan, err := sampling.MakePlan(frame, sampling.Options{Seed: &s})
	if err != nil {
		return cityCounty{}, fmt.Errorf("%s plan: %w", name, err)
	}
	now := survey.TruncateTime(time.Now())
	sv, err := survey.NewSurvey(name, name+"义务教育优质均衡发展社会认可度调查（压测数据）", now.Add(-time.Hour), now.Add(30*24*time.Hour), survey.DefaultForms())
	if err != nil {
		return cityCounty{}, err
	}
	sv.Seed = s
	if err := sv.Transition(survey.Open, now); err != nil {
		return cityCounty{}, err
	}
	if err := st.CreateSurvey(ctx, sv); err != nil {
		return cityCounty{}, err
	}
	codes, err := demo.Codes(plan, sv.ID, now)
	if err != nil {
		return cityCounty{}, err
	}
	if err := st.InsertCodes(ctx, codes); err != nil {
		return cityCounty{}, err
	}
	if err := st.SaveFrame(ctx, sv.ID, "renke bench city", frame); err != nil {
		return cityCounty{}, err
	}
	if err := st.SavePlan(ctx, sv.ID, "renke bench city", plan); err != nil {
		return cityCounty{}, err
	}
	return cityCounty{survey: sv, codes: codes}, nil
}

// cityReads times the first county's reads and the whole city's views.
func cityReads(ctx context.Context, e *env, counties []cityCounty, stored int64) (string, error) {
	st, id := e.store, counties[0].survey.ID
	var err error
	// best runs f three times and keeps the shortest wall time, with its CPU time.
	best := func(f func() error) timing {
		b := timing{wall: time.Duration(1<<63 - 1)}
		for range 3 {
			if err != nil {
				return timing{}
			}
			t, c := time.Now(), cpuTime()
			err = f()
			if w := time.Since(t); w < b.wall {
				b = timing{w, cpuTime() - c}
			}
		}
		return b
	}
	once := func(f func() error) timing {
		if err != nil {
			return timing{}
		}
		t, c := time.Now(), cpuTime()
		err = f()
		return timing{time.Since(t), cpuTime() - c}
	}
	buildAs := func(format string) func() error {
		return func() error {
			p, err := reporting.Build(ctx, st, id)
			if err != nil {
				return err
			}
			f, _ := render.FormatNamed(format)
			return f.Write(io.Discard, p)
		}
	}
	json, pdf := best(buildAs("json")), best(buildAs("pdf"))
	progress := best(func() error {
		if _, err := st.Codes(ctx, id); err != nil {
			return err
		}
		return st.EachResponse(ctx, id, func(*survey.Response) error { return nil })
	})
	export := best(func() error {
		p, err := reporting.Build(ctx, st, id)
		if err != nil {
			return err
		}
		return report.WriteReplication(io.Discard, p)
	})
	verify := best(func() error { _, err := surveyLine(ctx, e, id); return err })
	cache := reporting.NewCache(e.cfg.ReportCache, time.Hour).LimitResponses(e.cfg.ReportCacheResponses)
	city := func(write func(io.Writer, []render.CityRow, time.Time, string) error) func() error {
		return func() error {
			rows, err := reporting.CityRows(ctx, st, nil, cache.Build)
			if err != nil {
				return err
			}
			return write(io.Discard, rows, time.Now(), config.Version)
		}
	}
	cold := once(city(render.CityHTML))
	warm, xlsx := best(city(render.CityHTML)), best(city(render.CityXLSX))
	all := once(func() error { return verifyAll(ctx, e, io.Discard) })
	if err != nil {
		return "", err
	}
	ms := func(t timing) string { return t.String() }
	return fmt.Sprintf("| %d counties (%d responses) | %s / %s | %s | %s | %s | %s / %s | %s | %s |", len(counties), stored,
		ms(json), ms(pdf), ms(progress), ms(export), ms(verify), ms(cold), ms(warm), ms(xlsx), ms(all)), nil
}

// timing is one measured read: wall time and this process's CPU time.
type timing struct{ wall, cpu time.Duration }

func (t timing) String() string {
	return fmt.Sprintf("%.2f s (cpu %.2f)", t.wall.Seconds(), t.cpu.Seconds())
}
