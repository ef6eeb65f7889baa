// Package loadtest drives renke's submission endpoint over loopback and
// measures the store's own insert limit beside it, for `renke bench submit`.
package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"renke/survey"
)

// Result summarises one timed run.
type Result struct {
	Requests int64         // completed operations
	Errors   int64         // operations that failed
	Statuses map[int]int64 // HTTP statuses (submission runs)
	Elapsed  time.Duration
	P50      time.Duration
	P95      time.Duration
	P99      time.Duration
}

// Rate is successful operations per second.
func (r Result) Rate() float64 {
	return float64(r.Requests-r.Errors) / r.Elapsed.Seconds()
}

// Run calls op from c goroutines until d has passed and summarises the latencies.
func Run(ctx context.Context, c int, d time.Duration, op func(ctx context.Context, worker, i int) (status int, err error)) Result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var n, errs atomic.Int64
	var mu sync.Mutex
	statuses := map[int]int64{}
	lat := make([][]time.Duration, c)
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			local := map[int]int64{}
			for i := 0; ctx.Err() == nil; i++ {
				t := time.Now()
				status, err := op(ctx, w, i)
				if err != nil && (ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded)) {
					break // cut off by the run's deadline: not a measured operation
				}
				lat[w] = append(lat[w], time.Since(t))
				n.Add(1)
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
	return summarise(lat, Result{Requests: n.Load(), Errors: errs.Load(), Statuses: statuses, Elapsed: time.Since(start)})
}

// Body is a realistic JSON submission for a form: answers skewed towards
// recognition, a few 不了解, and a completion time of 2–8 minutes.
func Body(rng *rand.Rand, q survey.Questionnaire, g survey.Group, now time.Time) []byte {
	m := map[string]any{"answers": Answers(rng, q),
		"started_at": now.Add(-time.Duration(120+rng.IntN(360)) * time.Second).Format(time.RFC3339)}
	if bands := survey.BandsFor(g); len(bands) > 0 {
		m["band"] = string(bands[rng.IntN(len(bands))])
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(fmt.Sprintf("loadtest: encode body: %v", err))
	}
	return b
}

// Response is a realistic response to a shared code, as the collection
// pipeline would build it, submitted at a random time in the week before now
// from one of 5,000 addresses; id names it and its device.
func Response(rng *rand.Rand, sv *survey.Survey, c survey.Code, id string, now time.Time) *survey.Response {
	q := sv.Forms[c.Group.Form()]
	at := survey.TruncateTime(now.Add(-time.Duration(rng.Int64N(int64(7 * 24 * time.Hour)))))
	r := &survey.Response{ID: id, SurveyID: sv.ID, Code: c.Code, CodeKind: c.Kind, Form: q.Kind, FormVersion: q.Version,
		Group: c.Group, School: c.School, Township: c.Township, Urbanicity: c.Urbanicity, Answers: Answers(rng, q),
		StartedAt: at.Add(-time.Duration(120+rng.IntN(360)) * time.Second), SubmittedAt: at,
		DeviceID: "dev-" + id, AddrHash: fmt.Sprintf("addr%05d", rng.IntN(5000)), UAFamily: "wechat"}
	if bands := survey.BandsFor(c.Group); len(bands) > 0 {
		r.Band = bands[rng.IntN(len(bands))]
	}
	return r
}

// Answers is a realistic set of answers to a form: skewed towards
// recognition, a few 不了解.
func Answers(rng *rand.Rand, q survey.Questionnaire) map[string]string {
	answers := make(map[string]string, len(q.Items))
	for _, it := range q.Items {
		x := rng.Float64()
		switch {
		case x < 0.55:
			answers[it.ID] = survey.OptRecognise
		case x < 0.78:
			answers[it.ID] = survey.OptRatherAgree
		case x < 0.88:
			answers[it.ID] = survey.OptBasicallyAgree
		case x < 0.95:
			answers[it.ID] = survey.OptNotRecognise
		default:
			answers[it.ID] = survey.OptDontKnow
		}
	}
	return answers
}

// Submitter posts submissions to one server with a shared keep-alive client.
type Submitter struct {
	Base   string
	Client *http.Client
}

// NewSubmitter returns a submitter with a connection pool sized for c workers.
func NewSubmitter(base string, c int) *Submitter {
	tr := &http.Transport{MaxIdleConns: c * 2, MaxIdleConnsPerHost: c * 2, IdleConnTimeout: 30 * time.Second}
	return &Submitter{Base: base, Client: &http.Client{Transport: tr, Timeout: 30 * time.Second}}
}

// Submit posts one body to a code (no cookie: every call is a new device).
func (s *Submitter) Submit(ctx context.Context, code string, body []byte, forwardedFor string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.Base+"/api/v1/codes/"+code+"/responses", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", forwardedFor)
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		return resp.StatusCode, fmt.Errorf("status %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
