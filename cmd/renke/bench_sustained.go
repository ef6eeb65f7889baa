package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"renke/loadtest"
)

// sustained submits n sheets (each a new device) from conc clients and prints
// the rate of each tenth of them, then the process's CPU while idle, and the
// keys Redis holds before and after the survey's are dropped as on its close.
func (b *bench) sustained(ctx context.Context, sub *loadtest.Submitter, n, conc int, idle time.Duration) error {
	rngs := make([]*rand.Rand, conc)
	for w := range rngs {
		rngs[w] = rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
	}
	var res loadtest.Sustained
	note := measured(func() int64 {
		res = loadtest.RunN(ctx, conc, n, func(ctx context.Context, w, i int) (int, error) {
			code := b.codes[i%len(b.codes)]
			body := loadtest.Body(rngs[w], b.survey.Forms[code.Group.Form()], code.Group, time.Now())
			return sub.Submit(ctx, code.Code, body, "")
		})
		return res.Requests
	})
	tenths := make([]string, len(res.Tenths))
	for i, r := range res.Tenths {
		tenths[i] = fmt.Sprintf("%.0f", r)
	}
	fmt.Printf("sustained: %d submissions, %d errors, %.1f submissions/s overall, p50 %v p99 %v, statuses %v\n",
		res.Requests, res.Errors, res.Rate(), res.P50.Round(time.Microsecond), res.P99.Round(time.Microsecond), res.Statuses)
	fmt.Printf("per tenth (submissions/s): %s; last tenth / first tenth %.2f\n", strings.Join(tenths, " "), res.Flatness())
	fmt.Println(note)
	keys, err := b.env.kv.Redis().DBSize(ctx).Result()
	if err != nil {
		return fmt.Errorf("count redis keys: %w", err)
	}
	before := cpuTime()
	time.Sleep(idle)
	used := cpuTime() - before
	fmt.Printf("idle after the run: %.2f%% of a core over %v (the whole process: server, store, in-process Redis)\n",
		100*used.Seconds()/idle.Seconds(), idle)
	if err := b.env.kv.EndSurvey(ctx, b.survey.ID); err != nil {
		return err
	}
	after, err := b.env.kv.Redis().DBSize(ctx).Result()
	if err != nil {
		return fmt.Errorf("count redis keys: %w", err)
	}
	fmt.Printf("redis keys: %d after the run, %d once the survey's are dropped (as on its close)\n", keys, after)
	return nil
}
