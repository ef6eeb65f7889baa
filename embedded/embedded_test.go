package embedded_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"renke/embedded"
)

// TestRedisKeysExpire: the in-process Redis ages keys with the real clock, so
// sessions, lockouts and rate-limit windows end in the embedded default too.
func TestRedisKeysExpire(t *testing.T) {
	srv, err := embedded.Start(t.TempDir(), embedded.Want{Redis: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	opt, err := redis.ParseURL(srv.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	ctx := context.Background()
	if err := rdb.Set(ctx, "short", "x", 300*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, "long", "x", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := rdb.Get(ctx, "short").Result()
		if errors.Is(err, redis.Nil) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatal("a key with a 300 ms lifetime is still there after 10 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if ttl := rdb.TTL(ctx, "long").Val(); ttl < 59*time.Minute || ttl > time.Hour {
		t.Fatalf("an hour's key has TTL %v after a second or so", ttl)
	}
	// TIME follows the real clock (rate limits compute with it).
	if now, err := rdb.Time(ctx).Result(); err != nil || now.Sub(time.Now()).Abs() > 5*time.Second {
		t.Fatalf("TIME %v (%v), now %v", now, err, time.Now())
	}
}
