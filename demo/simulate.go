package demo

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"renke/survey"
)

// SimOptions configure Simulate.
type SimOptions struct {
	Base        string  // the server's base URL, e.g. http://127.0.0.1:8080
	Responses   int     // answer sheets to submit
	Rate        float64 // sheets started per second; 0: as fast as the workers go
	Concurrency int     // concurrent respondents; 0 means 8
	// ForwardedFor sends a random X-Forwarded-For address with each sheet. The
	// server believes it only from its --trusted-proxies; otherwise every
	// sheet comes from this machine's address and the per-address limit applies.
	ForwardedFor bool
	MaxAttempts  int           // tries per sheet (503, 429, network errors); 0 means 8
	MaxBackoff   time.Duration // longest wait between tries; 0 means 30 s
	Seed         uint64        // answers and code order; 0 draws one
	Client       *http.Client  // nil: a pooled client with a 30 s timeout
}

// SimResult counts the final outcome of each answer sheet.
type SimResult struct {
	// Statuses holds the final HTTP status of each sheet; 0 means the server
	// never answered. A retry the server recognised as already stored (409
	// with X-Already-Recorded) counts as 201.
	Statuses map[int]int
	Recorded int // sheets stored by a try whose answer was lost, recognised on retry
	Retries  int // tries beyond the first
	Elapsed  time.Duration
}

// Accepted is the number of sheets the server stored.
func (r *SimResult) Accepted() int { return r.Statuses[http.StatusCreated] }

// simJob is one answer sheet to submit.
type simJob struct {
	code *survey.Code
	seed uint64
}

// Simulate submits answer sheets to a running server through its public
// JSON endpoint, as respondents' phones do: realistic answers and times, a
// fresh Idempotency-Key per sheet kept across retries, no cookies (every
// sheet is a new device), and retries with backoff on 503 and 429 (honouring
// Retry-After). Shared codes are used in proportion to the places they have
// left (used: responses per code so far), the unused one-time codes once each.
func Simulate(ctx context.Context, sv *survey.Survey, codes []survey.Code, used map[string]int64, opt SimOptions) (*SimResult, error) {
	if opt.Responses < 1 {
		return nil, errors.New("要提交的份数必须大于 0")
	}
	if opt.Concurrency < 1 {
		opt.Concurrency = 8
	}
	if opt.MaxAttempts < 1 {
		opt.MaxAttempts = 8
	}
	if opt.MaxBackoff <= 0 {
		opt.MaxBackoff = 30 * time.Second
	}
	if opt.Seed == 0 {
		var b [8]byte
		if _, err := crand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("draw a seed: %w", err)
		}
		opt.Seed = binary.LittleEndian.Uint64(b[:])
	}
	if opt.Client == nil {
		tr := &http.Transport{MaxIdleConns: 2 * opt.Concurrency, MaxIdleConnsPerHost: 2 * opt.Concurrency, IdleConnTimeout: 30 * time.Second}
		opt.Client = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	opt.Base = strings.TrimRight(opt.Base, "/")
	jobs, err := simJobs(codes, used, opt)
	if err != nil {
		return nil, err
	}
	res := &SimResult{Statuses: map[int]int{}}
	start := time.Now()
	queue := make(chan simJob)
	go feed(ctx, queue, jobs, opt.Rate)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < opt.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				status, recorded, retries := submitSheet(ctx, sv, j, opt)
				mu.Lock()
				res.Statuses[status]++
				res.Retries += retries
				if recorded {
					res.Recorded++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res, ctx.Err()
}

// simJobs draws the sheets' codes: each shared code in proportion to the
// places it has left (to its quota once every quota is full, to exercise the
// quota checks), each unused one-time code once, in random order.
func simJobs(codes []survey.Code, used map[string]int64, opt SimOptions) ([]simJob, error) {
	rng := rand.New(rand.NewPCG(opt.Seed, 0x73696d))
	room := false
	for _, c := range codes {
		room = room || (c.Kind == survey.SharedCode && int64(c.Quota) > used[c.Code])
	}
	var shared, onetime []*survey.Code
	var cum []float64 // cumulative weights of shared
	total := 0.0
	for i := range codes {
		c := &codes[i]
		switch {
		case c.Kind == survey.SharedCode:
			w := float64(max(1, c.Quota))
			if room {
				w = float64(int64(c.Quota) - used[c.Code])
			}
			if w > 0 {
				total += w
				shared, cum = append(shared, c), append(cum, total)
			}
		case used[c.Code] == 0:
			onetime = append(onetime, c)
		}
	}
	switch {
	case len(shared) == 0 && len(onetime) == 0:
		return nil, errors.New("该调查没有可用的访问码（共享码或未使用的一次性码）")
	case len(shared) == 0 && opt.Responses > len(onetime):
		return nil, fmt.Errorf("该调查只有 %d 个未使用的一次性码，没有共享码，不能提交 %d 份", len(onetime), opt.Responses)
	}
	rng.Shuffle(len(onetime), func(i, j int) { onetime[i], onetime[j] = onetime[j], onetime[i] })
	jobs := make([]simJob, 0, opt.Responses)
	for len(jobs) < opt.Responses {
		x := rng.Float64() * (total + float64(len(onetime)))
		var c *survey.Code
		if x < float64(len(onetime)) {
			c, onetime = onetime[0], onetime[1:]
		} else {
			c = shared[min(sort.SearchFloat64s(cum, x-float64(len(onetime))), len(shared)-1)]
		}
		jobs = append(jobs, simJob{code: c, seed: rng.Uint64()})
	}
	return jobs, nil
}

// feed hands the jobs out, at rate per second when rate > 0.
func feed(ctx context.Context, queue chan<- simJob, jobs []simJob, rate float64) {
	defer close(queue)
	var tick *time.Ticker
	if rate > 0 {
		tick = time.NewTicker(time.Duration(float64(time.Second) / rate))
		defer tick.Stop()
	}
	for i, j := range jobs {
		if tick != nil && i > 0 {
			select {
			case <-tick.C:
			case <-ctx.Done():
				return
			}
		}
		select {
		case queue <- j:
		case <-ctx.Done():
			return
		}
	}
}

// submitSheet submits one sheet, retrying while the server asks to.
func submitSheet(ctx context.Context, sv *survey.Survey, j simJob, opt SimOptions) (status int, recorded bool, retries int) {
	rng := rand.New(rand.NewPCG(j.seed, 1))
	body := SheetBody(rng, sv, j.code, time.Now())
	key := randomKey()
	ua := userAgent(rng)
	fwd := ""
	if opt.ForwardedFor {
		fwd = fmt.Sprintf("%d.%d.%d.%d", 1+rng.IntN(223), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254))
	}
	url := opt.Base + "/api/v1/codes/" + j.code.Code + "/responses"
	for attempt := 1; ; attempt++ {
		var wait time.Duration
		status, wait, recorded = post(ctx, opt.Client, url, body, key, ua, fwd)
		retryable := status == 0 || status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests ||
			status == http.StatusBadGateway || status == http.StatusGatewayTimeout
		if !retryable || attempt == opt.MaxAttempts || ctx.Err() != nil {
			if recorded {
				status = http.StatusCreated
			}
			return status, recorded, attempt - 1
		}
		if wait <= 0 {
			wait = 500 * time.Millisecond << min(attempt-1, 6)
		}
		wait = min(time.Duration(float64(wait)*(0.9+0.2*rng.Float64())), opt.MaxBackoff)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return status, false, attempt - 1
		}
	}
}

// post makes one try; it returns the status (0 without an answer), the
// server's Retry-After and whether the server says the sheet was stored before.
func post(ctx context.Context, client *http.Client, url string, body []byte, key, ua, fwd string) (int, time.Duration, bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, 0, false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("User-Agent", ua)
	if fwd != "" {
		req.Header.Set("X-Forwarded-For", fwd)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, false
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	var wait time.Duration
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		wait = time.Duration(s) * time.Second
	}
	return resp.StatusCode, wait, resp.StatusCode == http.StatusConflict && resp.Header.Get("X-Already-Recorded") == "1"
}

// SheetBody is a realistic JSON answer sheet for code c: answers by the demo's
// answer model, started a lognormal completion time before now, and a grade
// band when the code does not fix one.
func SheetBody(rng *rand.Rand, sv *survey.Survey, c *survey.Code, now time.Time) []byte {
	q := sv.Forms[c.Group.Form()]
	p := newPerson(rng, c.Group, q, 0)
	m := map[string]any{"answers": p.answers(rng, q),
		"started_at": now.Add(-completionTime(rng, c.Group)).Format(time.RFC3339Nano)}
	if bands := survey.BandsFor(c.Group); c.Band == "" && len(bands) > 0 {
		m["band"] = string(bands[rng.IntN(len(bands))])
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("demo: encode a sheet: %v", err))
	}
	return b
}

// randomKey is a random Idempotency-Key of the server's accepted shape. It
// becomes the response id, so it never comes from a seed: two runs with the
// same seed must not collide.
func randomKey() string {
	var b [16]byte
	if _, err := crand.Read(b[:]); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
