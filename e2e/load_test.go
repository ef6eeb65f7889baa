package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// respondents submit one-time codes the way the respondent page does: a fresh
// Idempotency-Key per answer sheet, retried on 503, 429 and network errors
// until the server gives a final answer or the deadline passes.
type respondents struct {
	client *http.Client
	body   []byte
	bases  func() string // which server to send to

	mu       sync.Mutex
	accepted map[string]string // code → response id, for 201s and recognised retries
	final    map[int]int       // final statuses
	why      map[string]int    // why sheets were retried
	retries  atomic.Int64
	given    atomic.Int64 // codes taken from the queue
}

func newRespondents(body []byte, bases func() string) *respondents {
	return &respondents{client: &http.Client{Timeout: 10 * time.Second}, body: body, bases: bases,
		accepted: map[string]string{}, final: map[int]int{}, why: map[string]int{}}
}

func idemKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// run submits codes from c workers until codes run out or stop is closed,
// finishing every started sheet before giveUp.
func (r *respondents) run(codes []string, c int, stop <-chan struct{}, giveUp time.Time) {
	queue := make(chan string, len(codes))
	for _, code := range codes {
		queue <- code
	}
	close(queue)
	var wg sync.WaitGroup
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for code := range queue {
				select {
				case <-stop:
					return
				default:
				}
				r.given.Add(1)
				r.one(code, fmt.Sprintf("10.20.%d.%d", w, r.given.Load()%250), giveUp)
			}
		}(w)
	}
	wg.Wait()
}

func (r *respondents) one(code, addr string, giveUp time.Time) {
	key := idemKey()
	for time.Now().Before(giveUp) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, r.bases()+"/api/v1/codes/"+code+"/responses", bytesReader(r.body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", key)
		req.Header.Set("X-Forwarded-For", addr)
		resp, err := r.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		cancel()
		if err != nil || resp.StatusCode == 503 || resp.StatusCode == 429 {
			r.retries.Add(1)
			r.mu.Lock()
			if err != nil {
				r.why["network"]++
			} else {
				r.why[resp.Status]++
			}
			r.mu.Unlock()
			time.Sleep(150 * time.Millisecond)
			continue
		}
		r.mu.Lock()
		r.final[resp.StatusCode]++
		if resp.StatusCode == 201 || resp.StatusCode == 409 && resp.Header.Get("X-Already-Recorded") == "1" {
			r.accepted[code] = key
		}
		r.mu.Unlock()
		return
	}
	r.mu.Lock()
	r.final[-1]++ // gave up
	r.mu.Unlock()
}
