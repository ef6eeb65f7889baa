package respondent

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingLoad returns a loader that counts its calls, answers the next
// value of n and, while gate is not nil, waits for gate to close.
type countingLoad struct {
	calls atomic.Int64
	n     atomic.Int64
	gate  chan struct{}
	start chan struct{} // receives one token per call begun, when not nil
}

func (l *countingLoad) load(ctx context.Context) (int64, error) {
	l.calls.Add(1)
	if l.start != nil {
		l.start <- struct{}{}
	}
	if l.gate != nil {
		<-l.gate
	}
	return l.n.Add(1), nil
}

// TestReadCacheServesFreshAndRefreshesAhead: a fresh value is served without
// loading; once half its life has passed one caller reloads it while every
// other caller goes on with the cached value; past its life it is not served.
func TestReadCacheServesFreshAndRefreshesAhead(t *testing.T) {
	ctx := context.Background()
	c := newReadCache[int64](10*time.Second, 0)
	t0 := time.Unix(1_000_000, 0)
	l := &countingLoad{}
	if v, err := c.get(ctx, "k", t0, l.load); err != nil || v != 1 {
		t.Fatalf("first get: %d %v", v, err)
	}
	if v, _ := c.get(ctx, "k", t0.Add(4*time.Second), l.load); v != 1 || l.calls.Load() != 1 {
		t.Fatalf("fresh get: value %d after %d loads, want 1 after 1", v, l.calls.Load())
	}

	// Half-way: one caller refreshes (held by the gate), the others are served at once.
	l.gate, l.start = make(chan struct{}), make(chan struct{}, 1)
	mid := t0.Add(6 * time.Second)
	refreshed := make(chan int64, 1)
	go func() {
		v, _ := c.get(ctx, "k", mid, l.load)
		refreshed <- v
	}()
	<-l.start
	for range 20 {
		if v, err := c.get(ctx, "k", mid, l.load); err != nil || v != 1 {
			t.Fatalf("get during the refresh: %d %v, want the cached 1", v, err)
		}
	}
	if got := l.calls.Load(); got != 2 {
		t.Fatalf("%d loads during the refresh, want 2 (the first and one refresh)", got)
	}
	close(l.gate)
	if v := <-refreshed; v != 2 {
		t.Fatalf("the refreshing caller got %d, want 2", v)
	}
	l.gate, l.start = nil, nil
	if v, _ := c.get(ctx, "k", mid.Add(time.Second), l.load); v != 2 || l.calls.Load() != 2 {
		t.Fatalf("after the refresh: %d after %d loads, want 2 after 2", v, l.calls.Load())
	}
	// Past its life (counted from the refresh) the value is loaded again.
	if v, _ := c.get(ctx, "k", mid.Add(11*time.Second), l.load); v != 3 {
		t.Fatalf("expired value served: %d, want a new load (3)", v)
	}
}

// TestReadCacheOneLoadPerKey: callers that find a key missing at once share
// one load, and the one that runs it leaving does not fail the others.
func TestReadCacheOneLoadPerKey(t *testing.T) {
	c := newReadCache[int64](time.Minute, 0)
	now := time.Unix(1_000_000, 0)
	l := &countingLoad{gate: make(chan struct{}), start: make(chan struct{}, 1)}
	first, leave := context.WithCancel(context.Background())
	results := make(chan int64, 16)
	go func() {
		v, err := c.get(first, "k", now, l.load)
		if err != nil {
			v = -1
		}
		results <- v
	}()
	<-l.start
	leave() // the first caller's client goes away while its load runs
	var wg sync.WaitGroup
	for range 15 {
		wg.Go(func() {
			v, err := c.get(context.Background(), "k", now, l.load)
			if err != nil {
				v = -1
			}
			results <- v
		})
	}
	// The waiters are queued on the load before it is let go: every one of
	// them either waits on it or, arriving late, finds its value cached.
	close(l.gate)
	wg.Wait()
	for range 16 {
		if v := <-results; v != 1 {
			t.Fatalf("a caller got %d, want the one load's 1", v)
		}
	}
	if got := l.calls.Load(); got != 1 {
		t.Fatalf("%d loads for 16 concurrent callers, want 1", got)
	}
}

// TestReadCacheForgetAndErrors: a value forgotten while it loads is not kept,
// errors are not cached, and the bound on entries holds.
func TestReadCacheForgetAndErrors(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_000_000, 0)
	c := newReadCache[int64](time.Minute, 2)
	l := &countingLoad{gate: make(chan struct{}), start: make(chan struct{}, 1)}
	done := make(chan struct{})
	go func() {
		c.get(ctx, "k", now, l.load)
		close(done)
	}()
	<-l.start
	c.forget("k") // the value changed in the store while it was read
	close(l.gate)
	<-done
	l.gate, l.start = nil, nil
	if v, _ := c.get(ctx, "k", now, l.load); v != 2 {
		t.Fatalf("a load begun before forget was kept: got %d, want a new load (2)", v)
	}

	boom := errors.New("store away")
	fails := 0
	failing := func(context.Context) (int64, error) { fails++; return 0, boom }
	for range 2 {
		if _, err := c.get(ctx, "e", now, failing); !errors.Is(err, boom) {
			t.Fatalf("error: %v", err)
		}
	}
	if fails != 2 {
		t.Fatalf("%d loads for two gets of a failing key, want 2 (errors are not cached)", fails)
	}

	c.get(ctx, "a", now, l.load)
	c.get(ctx, "b", now, l.load)
	c.mu.Lock()
	n := len(c.entries)
	c.mu.Unlock()
	if n > 2 {
		t.Fatalf("%d entries kept, bound 2", n)
	}
	c.forgetAll()
	before := l.calls.Load()
	c.get(ctx, "b", now, l.load)
	if l.calls.Load() != before+1 {
		t.Fatal("forgetAll kept an entry")
	}
}
