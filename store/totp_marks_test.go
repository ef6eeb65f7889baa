package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renke/internal/testenv"
)

// TestUseTOTPStep: a step serves once, earlier steps are refused after a
// later one was used, users do not share marks, and of concurrent uses of
// one step exactly one wins.
func TestUseTOTPStep(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	now := time.Now()
	use := func(user string, step int64) bool {
		t.Helper()
		ok, err := s.UseTOTPStep(ctx, user, step, now)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !use("u1", 100) {
		t.Fatal("first use of step 100 refused")
	}
	if use("u1", 100) {
		t.Error("second use of step 100 accepted")
	}
	if use("u1", 99) {
		t.Error("step 99 accepted after step 100 was used")
	}
	if !use("u2", 99) {
		t.Error("another user's step 99 refused")
	}
	if !use("u1", 101) {
		t.Error("step 101 refused")
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, err := s.UseTOTPStep(ctx, "u3", 500, now); err != nil {
				t.Error(err)
			} else if ok {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Errorf("%d concurrent uses of one step won, want 1", wins.Load())
	}
}
