package kv_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/kv"
	"renke/survey"
)

func TestLimiterAllowsNThenRefuses(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	key := fmt.Sprintf("test:%d", time.Now().UnixNano())
	for i := 0; i < 5; i++ {
		ok, _, err := c.Allow(ctx, key, 5)
		if err != nil || !ok {
			t.Fatalf("event %d of 5: allowed=%v err=%v", i+1, ok, err)
		}
	}
	ok, retry, err := c.Allow(ctx, key, 5)
	if err != nil || ok {
		t.Fatalf("sixth event: allowed=%v err=%v, want refused", ok, err)
	}
	if retry <= 0 || retry > time.Minute {
		t.Fatalf("retry after %v, want within a minute", retry)
	}
}

func TestQuotaNeverOvershoots(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	code := fmt.Sprintf("q-%d", time.Now().UnixNano())
	if err := c.TakeQuota(ctx, "s1", code, 30); !errors.Is(err, kv.ErrNotLoaded) {
		t.Fatalf("unloaded counter: got %v, want ErrNotLoaded", err)
	}
	if err := c.LoadQuota(ctx, "s1", code, 3, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var took atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.TakeQuota(ctx, "s1", code, 30)
			if err == nil {
				took.Add(1)
			} else if !errors.Is(err, survey.ErrQuotaFull) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	used, err := c.QuotaUsed(ctx, "s1", code)
	if err != nil {
		t.Fatal(err)
	}
	if took.Load() != 27 || used != 30 {
		t.Fatalf("took %d places (want 27), counter %d (want 30)", took.Load(), used)
	}
}

func TestUnavailableWhenRedisStops(t *testing.T) {
	r := testenv.OwnRedis(t)
	c := testenv.KVAt(t, r.URL)
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.Stop()
	if err := c.Ping(context.Background()); !errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("ping with redis stopped: got %v, want ErrUnavailable", err)
	}
	if _, _, err := c.Allow(context.Background(), "x", 5); !errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("limit with redis stopped: got %v, want ErrUnavailable", err)
	}
	if _, _, err := c.AllowAll(context.Background(), []kv.Limit{{Key: "x", PerMinute: 5}}); !errors.Is(err, kv.ErrUnavailable) {
		t.Fatalf("limits with redis stopped: got %v, want kv.ErrUnavailable", err)
	}
}
