package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/survey"
)

// TestCountOfCodeSeesEarlierWrites: callers share passes over the survey, yet
// every count includes the responses stored before the time it names, even
// while other callers' passes are under way; a caller naming no time joins
// the pass under way.
func TestCountOfCodeSeesEarlierWrites(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	// Another survey's responses make each pass last long enough for writes
	// to land while it runs.
	for i := 0; i < 150; i++ {
		if err := s.AppendResponse(ctx, response("other", "x", survey.SharedCode, fmt.Sprintf("o%d", i))); err != nil {
			t.Fatalf("fill: %v", err)
		}
	}
	// One caller keeps passes running back to back.
	stop := make(chan struct{})
	var busy sync.WaitGroup
	busy.Add(1)
	go func() {
		defer busy.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.CountOfCode(ctx, "sc", "busy", time.Time{}); err != nil {
				t.Errorf("busy count: %v", err)
				return
			}
		}
	}()
	const writers, each = 4, 6
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			code := fmt.Sprintf("code-%d", w)
			for i := 1; i <= each; i++ {
				time.Sleep(time.Duration(rand.IntN(30)) * time.Millisecond) // out of step with the others
				if err := s.AppendResponse(ctx, response("sc", code, survey.SharedCode, fmt.Sprintf("d%d-%d", w, i))); err != nil {
					t.Errorf("append: %v", err)
					return
				}
				n, err := s.CountOfCode(ctx, "sc", code, time.Now())
				if err != nil {
					t.Errorf("count: %v", err)
					return
				}
				if n != int64(i) { // only this goroutine writes this code
					t.Errorf("%s: count %d after %d stored", code, n, i)
				}
			}
		}(w)
	}
	wg.Wait()
	close(stop)
	busy.Wait()
	if n, err := s.CountOfCode(ctx, "sc", "no-such-code", time.Now()); err != nil || n != 0 {
		t.Fatalf("unused code: %d, %v", n, err)
	}
	// A caller that gives up does not spoil the pass for the others.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	_, _ = s.CountOfCode(cctx, "sc", "code-0", time.Now())
	if n, err := s.CountOfCode(ctx, "sc", "code-0", time.Now()); err != nil || n != each {
		t.Fatalf("after a cancelled caller: %d, %v", n, err)
	}
}
