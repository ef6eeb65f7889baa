package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"renke/config"
	"renke/loadtest"
	"renke/reporting"
	"renke/store"
)

// runGrowth fills one survey step by step to each size and, at every step,
// measures submissions over HTTP, the store's hot queries and the report.
func runGrowth(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bench growth", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	sizes := fs.String("sizes", "1000,10000,100000,1000000", "stored responses at each step, ascending")
	conc := fs.Int("concurrency", 64, "concurrent clients of each submission run")
	dur := fs.Duration("duration", 5*time.Second, "length of each submission run")
	schools := fs.Int("codes", 40, "shared codes (schools) the survey's responses are spread over")
	readsMax := fs.Int("reads-max", 1000000, "largest size at which the hot reads and the report are timed (each reads the whole survey)")
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	steps, err := parseSizes(*sizes)
	if err != nil {
		return err
	}
	if *conc < 1 || *dur <= 0 || *schools < 1 {
		return errors.New("--concurrency, --duration and --codes must be positive")
	}
	b, err := startBench(ctx, fs, finish, *schools)
	if err != nil {
		return err
	}
	defer b.close()
	st := b.env.store
	fmt.Printf("renke bench growth: sizes %v, submissions at concurrency %d for %v per step, %d shared codes, store %s, %d CPUs\n",
		steps, *conc, *dur, len(b.codes), storeKind(b.cfg), runtime.NumCPU())
	fmt.Println("size | fill/s | submit/s | p50 | p99 | stored after | chain head | counts by code | report (ns/response)")
	sub := loadtest.NewSubmitter(b.url, *conc)
	var filled atomic.Int64
	var stored int64 // responses in the survey; counted, since reading it back would scan
	for _, size := range steps {
		fillRate := 0.0 // no fill when the last step's submissions passed this size
		if int64(size) > stored {
			t := time.Now()
			if err := fill(ctx, st, b, stored, int64(size), &filled); err != nil {
				return err
			}
			fillRate = float64(int64(size)-stored) / time.Since(t).Seconds()
		}
		res := b.submit(ctx, sub, *conc, *dur)
		if res.Errors > 0 {
			return fmt.Errorf("size %d: %d of %d submissions failed: %v", size, res.Errors, res.Requests, res.Statuses)
		}
		q, rep := "skipped | skipped", "skipped"
		n := int64(size) + res.Requests // every submission was stored (errors end the run above)
		stored = n
		if size <= *readsMax {
			if q, err = timeQueries(ctx, st, b); err != nil {
				return err
			}
			t := time.Now()
			if _, err := reporting.Build(ctx, st, b.survey.ID); err != nil {
				return fmt.Errorf("report at %d responses: %w", n, err)
			}
			d := time.Since(t)
			rep = fmt.Sprintf("%v (%.0f)", d.Round(time.Millisecond), float64(d.Nanoseconds())/float64(n))
		}
		fmt.Printf("%d | %.0f | %.0f | %v | %v | %d | %s | %s\n", size, fillRate, res.Rate(),
			res.P50.Round(time.Millisecond), res.P99.Round(time.Millisecond), n, q, rep)
	}
	plans, err := st.ExplainHotQueries(ctx, b.survey.ID, b.codes[0].Code)
	if err != nil {
		return err
	}
	fmt.Println("hot queries (explain):")
	for _, p := range plans {
		fmt.Printf("- %s [%s]: indexed %v: %s\n", p.Name, p.PerCall, p.Indexed, p.Plan)
	}
	return nil
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(out) > 0 && n <= out[len(out)-1]) {
			return nil, fmt.Errorf("--sizes: %q is not a list of ascending positive counts", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// fill appends realistic responses through the store's chain until the survey
// holds size of them; many writers at once, so the group commit batches fully.
func fill(ctx context.Context, st *store.Store, b *bench, from, size int64, seq *atomic.Int64) error {
	const writers = 512
	var next atomic.Int64
	next.Store(from)
	var wg sync.WaitGroup
	var firstErr atomic.Pointer[error]
	now := time.Now()
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(now.UnixNano())))
			for next.Add(1) <= size && firstErr.Load() == nil {
				c := b.codes[rng.IntN(len(b.codes))]
				r := loadtest.Response(rng, b.survey, c, fmt.Sprintf("fill-%d", seq.Add(1)), now)
				if err := st.AppendResponse(ctx, r); err != nil {
					firstErr.CompareAndSwap(nil, &err)
				}
			}
		}(w)
	}
	wg.Wait()
	if p := firstErr.Load(); p != nil {
		return fmt.Errorf("fill to %d responses: %w", size, *p)
	}
	return nil
}

// timeQueries runs the store's hot reads once each and formats their times.
func timeQueries(ctx context.Context, st *store.Store, b *bench) (string, error) {
	var parts []string
	run := func(name string, f func() error) error {
		t := time.Now()
		if err := f(); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		parts = append(parts, time.Since(t).Round(100*time.Microsecond).String())
		return nil
	}
	err := errors.Join(
		run("chain head", func() error { _, _, err := st.Head(ctx, b.survey.ID); return err }),
		run("counts by code", func() error { _, err := st.CountsByCode(ctx, b.survey.ID); return err }),
	)
	return strings.Join(parts, " | "), err
}
