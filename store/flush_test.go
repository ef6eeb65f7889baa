package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/survey"
)

// TestAppendsReturnUnderSustainedLoad: while writers keep a survey's queue
// busy, every one of them gets its answers as its batches are stored; none is
// held to write the others' batches until the queue empties.
func TestAppendsReturnUnderSustainedLoad(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	const writers = 32
	var stop atomic.Bool
	done := make([]atomic.Int64, writers)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				if err := s.AppendResponse(ctx, response("busy", "c1", survey.SharedCode, fmt.Sprintf("d%d-%d", w, i))); err != nil {
					t.Errorf("append: %v", err)
					return
				}
				done[w].Add(1)
			}
		}(w)
	}
	time.Sleep(2 * time.Second)
	var stuck []int
	for w := range done {
		if done[w].Load() < 2 {
			stuck = append(stuck, w)
		}
	}
	stop.Store(true)
	wg.Wait()
	if len(stuck) > 0 {
		t.Fatalf("writers %v completed fewer than 2 appends in 2 s while the others kept going", stuck)
	}
	if n := verifyChain(t, s, "busy"); n < writers*2 {
		t.Fatalf("chain of %d", n)
	}
}
