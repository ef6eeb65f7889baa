package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

// TestQuotaSlotsAcrossProcesses: two processes that both believe 10 places
// are used take the remaining 20 of a quota of 30 between them, never the
// same one twice, and a place given back is taken again.
func TestQuotaSlotsAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	uri := testenv.Mongo(t, t.TempDir())
	procs := []*store.Store{openAt(t, uri), openAt(t, uri)}
	var mu sync.Mutex
	taken, full := map[int64]int{}, 0
	var wg sync.WaitGroup
	for i := range 40 {
		s := procs[i%2]
		wg.Go(func() {
			k, err := s.ReserveQuotaSlot(ctx, "code-a", 10, 30)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, survey.ErrQuotaFull):
				full++
			case err != nil:
				t.Error(err)
			default:
				taken[k]++
			}
		})
	}
	wg.Wait()
	if len(taken) != 20 || full != 20 {
		t.Fatalf("took %d places (%v), %d refused; want 20 and 20", len(taken), taken, full)
	}
	for k, n := range taken {
		if k < 11 || k > 30 || n != 1 {
			t.Errorf("place %d taken %d times", k, n)
		}
	}
	// Another code's quota is its own.
	if k, err := procs[0].ReserveQuotaSlot(ctx, "code-b", 10, 30); err != nil || k != 11 {
		t.Errorf("another code: place %d, %v", k, err)
	}
	if err := procs[1].ReleaseQuotaSlot(ctx, "code-a", 17); err != nil {
		t.Fatal(err)
	}
	if k, err := procs[0].ReserveQuotaSlot(ctx, "code-a", 10, 30); err != nil || k != 17 {
		t.Errorf("after giving back place 17: took %d, %v", k, err)
	}
	// A process whose count lags still finds no place left.
	if k, err := procs[1].ReserveQuotaSlot(ctx, "code-a", 10, 30); !errors.Is(err, survey.ErrQuotaFull) {
		t.Errorf("a full quota: place %d, %v", k, err)
	}
}

// TestHighestQuotaSlot: the highest place taken of one code, whichever
// process took it, not counting a place given back or another code's.
func TestHighestQuotaSlot(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	if top, err := st.HighestQuotaSlot(ctx, "A"); err != nil || top != 0 {
		t.Fatalf("no place taken: %d, %v; want 0", top, err)
	}
	for range 3 {
		if _, err := st.ReserveQuotaSlot(ctx, "A", 9, 20); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.ReserveQuotaSlot(ctx, "A1", 30, 40); err != nil {
		t.Fatal(err)
	}
	if err := st.ReleaseQuotaSlot(ctx, "A", 12); err != nil {
		t.Fatal(err)
	}
	if top, err := st.HighestQuotaSlot(ctx, "A"); err != nil || top != 11 {
		t.Errorf("places 10, 11 taken, 12 given back, A1's 31: highest %d, %v; want 11", top, err)
	}
}
