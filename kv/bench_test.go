package kv_test

import (
	"context"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"renke/kv"
)

// miniKV is a client of a fresh miniredis, the embedded default's Redis.
func miniKV(b *testing.B) *kv.Client {
	m := miniredis.RunT(b)
	c, err := kv.Open(context.Background(), "redis://"+m.Addr())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkMiniredisGCRA is one redis_rate (Lua) limit check, as every
// submission made three of before issue 18 (the login limit still uses it).
func BenchmarkMiniredisGCRA(b *testing.B) {
	c, ctx := miniKV(b), context.Background()
	for b.Loop() {
		if _, _, err := c.Allow(ctx, "addr:x", 1<<30); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMiniredisAllowAll is a submission's three budgets now.
func BenchmarkMiniredisAllowAll(b *testing.B) {
	c, ctx := miniKV(b), context.Background()
	limits := []kv.Limit{{Key: "addr:x", PerMinute: 1 << 30}, {Key: "code:s:c", PerMinute: 1 << 30}, {Key: "survey:s", PerMinute: 1 << 30}}
	for b.Loop() {
		if _, _, err := c.AllowAll(ctx, limits); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMiniredisSubmission is all a submission asks of Redis now: the
// budgets, the mark lookup, a quota place and the mark.
func BenchmarkMiniredisSubmission(b *testing.B) {
	c, ctx := miniKV(b), context.Background()
	limits := []kv.Limit{{Key: "addr:x", PerMinute: 1 << 30}, {Key: "code:s:c", PerMinute: 1 << 30}, {Key: "survey:s", PerMinute: 1 << 30}}
	until := time.Now().Add(time.Hour)
	if err := c.LoadQuota(ctx, "s", "c", 0, until); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := c.AllowAll(ctx, limits); err != nil {
			b.Fatal(err)
		}
		if _, err := c.OnceHolder(ctx, "s", "d:s:dev"); err != nil {
			b.Fatal(err)
		}
		if err := c.TakeQuota(ctx, "s", "c", 1<<30); err != nil {
			b.Fatal(err)
		}
		if err := c.MarkOnce(ctx, "s", "d:s:dev", "id", until); err != nil {
			b.Fatal(err)
		}
	}
}
