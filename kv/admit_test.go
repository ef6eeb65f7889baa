package kv_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/kv"
)

// TestAdmitCountsBudgetsAndReadsTheMark: one call takes an event from each
// budget and tells who holds the uniqueness key.
func TestAdmitCountsBudgetsAndReadsTheMark(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	limits := []kv.Limit{{Key: "addr:a", PerMinute: 3}, {Key: "survey:s1", PerMinute: 100}}
	a, err := c.Admit(ctx, limits, "s1", "d:s1:dev1")
	if err != nil || !a.Allowed || a.Holder != "" {
		t.Fatalf("first admission: %+v %v", a, err)
	}
	if err := c.MarkOnce(ctx, "s1", "d:s1:dev1", "resp-1", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if a, err = c.Admit(ctx, limits, "s1", "d:s1:dev1"); err != nil || !a.Allowed || a.Holder != "resp-1" {
		t.Fatalf("after the mark: %+v %v, want allowed and held by resp-1", a, err)
	}
	if a, err = c.Admit(ctx, limits, "s1", "d:s1:dev2"); err != nil || !a.Allowed || a.Holder != "" {
		t.Fatalf("another device: %+v %v", a, err)
	}
	// The fourth event of a budget of three is refused, with a wait.
	a, err = c.Admit(ctx, limits, "s1", "d:s1:dev3")
	if err != nil || a.Allowed || a.Retry <= 0 || a.Retry > time.Minute {
		t.Fatalf("over the budget: %+v %v, want refused with a wait within a minute", a, err)
	}
	// The other budget counted every event, refused ones included.
	if ok, _, _ := c.AllowAll(ctx, []kv.Limit{{Key: "survey:s1", PerMinute: 5}}); !ok {
		t.Fatal("the survey budget refused its fifth event")
	}
	if ok, _, _ := c.AllowAll(ctx, []kv.Limit{{Key: "survey:s1", PerMinute: 5}}); ok {
		t.Fatal("the survey budget allowed its sixth event: Admit did not count in it")
	}
}

// TestRaiseQuota: a loaded counter is raised to the places taken in the
// store, never lowered; places taken in it meanwhile are kept; a counter not
// loaded is left to be loaded from the store.
func TestRaiseQuota(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	until := time.Now().Add(time.Hour)
	if err := c.RaiseQuota(ctx, "s1", "none", 7); err != nil {
		t.Fatal(err)
	}
	if _, err := c.QuotaUsed(ctx, "s1", "none"); !errors.Is(err, kv.ErrNotLoaded) {
		t.Fatalf("raising an absent counter loaded it: %v", err)
	}
	if err := c.LoadQuota(ctx, "s1", "q", 15, until); err != nil {
		t.Fatal(err)
	}
	// Takes under way in the counter while it is raised: each keeps its place.
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			if err := c.TakeQuota(ctx, "s1", "q", 1000); err != nil {
				t.Error(err)
			}
		})
	}
	if err := c.RaiseQuota(ctx, "s1", "q", 45); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	used, err := c.QuotaUsed(ctx, "s1", "q")
	if err != nil {
		t.Fatal(err)
	}
	// The raise saw between 15 and 25 places: the counter is 45 plus the
	// takes it did not see, and at most 55.
	if used < 45 || used > 55 {
		t.Fatalf("counter %d after raising to 45 with 10 takes under way, want 45–55", used)
	}
	if err := c.RaiseQuota(ctx, "s1", "q", 20); err != nil {
		t.Fatal(err)
	}
	if again, _ := c.QuotaUsed(ctx, "s1", "q"); again != used {
		t.Fatalf("raising to fewer places changed the counter from %d to %d", used, again)
	}
	// Without concurrency the result is exact.
	if err := c.LoadQuota(ctx, "s1", "r", 3, until); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := c.TakeQuota(ctx, "s1", "r", 100); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.RaiseQuota(ctx, "s1", "r", 9); err != nil {
		t.Fatal(err)
	}
	if n, _ := c.QuotaUsed(ctx, "s1", "r"); n != 9 {
		t.Fatalf("counter %d after raising 5 to 9, want 9", n)
	}
}
