package loadtest

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Sustained is a run of a fixed number of operations, timed per tenth.
type Sustained struct {
	Result
	// Tenths are the operations per second of each tenth of the run, in
	// the order they completed.
	Tenths []float64
}

// Flatness is the rate of the last tenth over that of the first.
func (s Sustained) Flatness() float64 {
	if len(s.Tenths) < 10 || s.Tenths[0] == 0 {
		return 0
	}
	return s.Tenths[9] / s.Tenths[0]
}

// RunN calls op n times from c goroutines (n at least 10) and times each
// tenth of the completions.
func RunN(ctx context.Context, c, n int, op func(ctx context.Context, worker, i int) (status int, err error)) Sustained {
	var next, completed, errs atomic.Int64
	done := make([]time.Time, n)
	lat := make([][]time.Duration, c)
	var mu sync.Mutex
	statuses := map[int]int64{}
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			local := map[int]int64{}
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					break
				}
				t := time.Now()
				status, err := op(ctx, w, int(i))
				lat[w] = append(lat[w], time.Since(t))
				done[completed.Add(1)-1] = time.Now()
				if err != nil {
					errs.Add(1)
				}
				local[status]++
			}
			mu.Lock()
			for k, v := range local {
				statuses[k] += v
			}
			mu.Unlock()
		}(w)
	}
	wg.Wait()
	got := int(completed.Load())
	s := Sustained{Result: summarise(lat, Result{Requests: int64(got), Errors: errs.Load(), Statuses: statuses, Elapsed: time.Since(start)})}
	if got < 10 {
		return s
	}
	size := got / 10
	from := start
	for j := 0; j < 10; j++ {
		to := done[(j+1)*size-1]
		s.Tenths = append(s.Tenths, float64(size)/to.Sub(from).Seconds())
		from = to
	}
	return s
}

// summarise fills r's percentiles from the per-worker latencies.
func summarise(lat [][]time.Duration, r Result) Result {
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration {
		if len(all) == 0 {
			return 0
		}
		return all[int(p*float64(len(all)-1))]
	}
	r.P50, r.P95, r.P99 = pct(0.50), pct(0.95), pct(0.99)
	return r
}
