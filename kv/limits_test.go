package kv_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/kv"
	"renke/survey"
)

func TestAllowAllCountsEveryBudget(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	n := time.Now().UnixNano()
	addr, code := fmt.Sprintf("addr:%d", n), fmt.Sprintf("code:%d", n)
	rules := []kv.Limit{{Key: addr, PerMinute: 3}, {Key: code, PerMinute: 100}}
	for i := 0; i < 3; i++ {
		if ok, _, err := c.AllowAll(ctx, rules); err != nil || !ok {
			t.Fatalf("event %d of 3: allowed=%v err=%v", i+1, ok, err)
		}
	}
	ok, retry, err := c.AllowAll(ctx, rules)
	if err != nil || ok {
		t.Fatalf("fourth event: allowed=%v err=%v, want refused", ok, err)
	}
	if retry <= 0 || retry > time.Minute {
		t.Fatalf("retry after %v, want within a minute", retry)
	}
	// The other budget is untouched by the first one's refusal on its own.
	if ok, _, _ := c.AllowAll(ctx, rules[1:]); !ok {
		t.Fatal("a budget with room refused")
	}
}

// TestQuotaLoadsWhileTaking: takes that find the counter unloaded give their
// increment back, so a load racing with them still counts exactly.
func TestQuotaLoadsWhileTaking(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	sv, code := fmt.Sprintf("s-%d", time.Now().UnixNano()), "shared"
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				err := c.TakeQuota(ctx, sv, code, 1000)
				if err == nil {
					return
				}
				if !errors.Is(err, kv.ErrNotLoaded) {
					t.Error(err)
					return
				}
				if err := c.LoadQuota(ctx, sv, code, 5, time.Now().Add(time.Hour)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if used, err := c.QuotaUsed(ctx, sv, code); err != nil || used != 25 {
		t.Fatalf("counter %d (%v), want 5 loaded + 20 taken", used, err)
	}
	if err := c.TakeQuota(ctx, sv, code, 25); !errors.Is(err, survey.ErrQuotaFull) {
		t.Fatalf("full quota: got %v", err)
	}
}

// TestEndSurveyDropsItsKeys: after EndSurvey nothing of the survey is left,
// and another survey's keys stay.
func TestEndSurveyDropsItsKeys(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	n := time.Now().UnixNano()
	a, b := fmt.Sprintf("a%d", n), fmt.Sprintf("b%d", n)
	until := time.Now().Add(time.Hour)
	for _, sv := range []string{a, b} {
		for i := 0; i < 50; i++ {
			if err := c.MarkOnce(ctx, sv, fmt.Sprintf("d:%s:dev%d", sv, i), "r", until); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 5; i++ {
			if err := c.LoadQuota(ctx, sv, fmt.Sprintf("code%d", i), 1, until); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := c.AllowAll(ctx, []kv.Limit{{Key: "survey:" + sv, PerMinute: 10}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.EndSurvey(ctx, a); err != nil {
		t.Fatal(err)
	}
	if id, _ := c.OnceHolder(ctx, a, "d:"+a+":dev1"); id != "" {
		t.Fatal("a mark of the ended survey is left")
	}
	if _, err := c.QuotaUsed(ctx, a, "code3"); !errors.Is(err, kv.ErrNotLoaded) {
		t.Fatalf("a quota counter of the ended survey is left: %v", err)
	}
	if id, _ := c.OnceHolder(ctx, b, "d:"+b+":dev1"); id != "r" {
		t.Fatal("another survey's mark was dropped")
	}
	if used, err := c.QuotaUsed(ctx, b, "code3"); err != nil || used != 1 {
		t.Fatalf("another survey's counter: %d, %v", used, err)
	}
}
