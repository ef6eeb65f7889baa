package kv_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"renke/internal/testenv"
	"renke/kv"
)

func TestSessionLifecycle(t *testing.T) {
	ctx := context.Background()
	c := testenv.KV(t)
	tok, s, err := c.NewSession(ctx, "u1", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) < 43 || s.CSRF == "" || s.CSRF == tok {
		t.Fatalf("token %q (want ≥256 bits), csrf %q", tok, s.CSRF)
	}
	// The token is not stored: no key contains it.
	keys, _ := c.Redis().Keys(ctx, "*").Result()
	for _, k := range keys {
		if strings.Contains(k, tok) {
			t.Errorf("key %q holds the raw token", k)
		}
		if v, _ := c.Redis().HGetAll(ctx, k).Result(); v["token"] != "" {
			t.Errorf("key %q stores the token", k)
		}
	}
	got, err := c.Session(ctx, tok, time.Hour)
	if err != nil || got.UserID != "u1" || got.CSRF != s.CSRF {
		t.Fatalf("Session: %+v, %v", got, err)
	}
	if _, err := c.Session(ctx, tok+"x", time.Hour); !errors.Is(err, kv.ErrNoSession) {
		t.Errorf("wrong token: err %v", err)
	}
	if _, err := c.Session(ctx, "", time.Hour); !errors.Is(err, kv.ErrNoSession) {
		t.Errorf("empty token: err %v", err)
	}
	if err := c.EndSession(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Session(ctx, tok, time.Hour); !errors.Is(err, kv.ErrNoSession) {
		t.Errorf("after logout: err %v", err)
	}
	if err := c.EndSession(ctx, tok); err != nil {
		t.Errorf("ending an ended session: %v", err)
	}
}

func TestEndUserSessions(t *testing.T) {
	ctx := context.Background()
	c := testenv.KV(t)
	var toks []string
	for i := 0; i < 3; i++ {
		tok, _, err := c.NewSession(ctx, "u1", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		toks = append(toks, tok)
	}
	other, _, _ := c.NewSession(ctx, "u2", time.Hour)
	n, err := c.EndUserSessions(ctx, "u1")
	if err != nil || n != 3 {
		t.Fatalf("EndUserSessions = %d, %v; want 3", n, err)
	}
	for _, tok := range toks {
		if _, err := c.Session(ctx, tok, time.Hour); !errors.Is(err, kv.ErrNoSession) {
			t.Errorf("u1 session survives: %v", err)
		}
	}
	if _, err := c.Session(ctx, other, time.Hour); err != nil {
		t.Errorf("u2's session was revoked too: %v", err)
	}
	if n, err := c.EndUserSessions(ctx, "nobody"); err != nil || n != 0 {
		t.Errorf("no sessions: %d, %v", n, err)
	}
}

// TestSessionSlidingExpiry runs on a miniredis of its own so the test can move its clock.
func TestSessionSlidingExpiry(t *testing.T) {
	ctx := context.Background()
	m := miniredis.RunT(t)
	c, err := kv.Open(ctx, "redis://"+m.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tok, _, err := c.NewSession(ctx, "u1", 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	m.FastForward(11 * time.Hour)
	if _, err := c.Session(ctx, tok, 12*time.Hour); err != nil {
		t.Fatalf("used within 12 h: %v", err)
	}
	m.FastForward(11 * time.Hour) // 22 h after login, 11 h after last use
	if _, err := c.Session(ctx, tok, 12*time.Hour); err != nil {
		t.Fatalf("sliding expiry: %v", err)
	}
	// The user's index must outlive the session so revocation still finds it.
	if ttl := m.TTL("renke:usess:u1"); ttl < 11*time.Hour {
		t.Errorf("user index TTL %v, want ≥ the session's", ttl)
	}
	m.FastForward(12*time.Hour + time.Second)
	if _, err := c.Session(ctx, tok, 12*time.Hour); !errors.Is(err, kv.ErrNoSession) {
		t.Errorf("12 h idle: err %v, want ErrNoSession", err)
	}
}

func TestFailureWindow(t *testing.T) {
	ctx := context.Background()
	m := miniredis.RunT(t)
	c := testenv.KVAt(t, "redis://"+m.Addr())
	for i := int64(1); i <= 3; i++ {
		n, left, err := c.AddFailure(ctx, "login:wang", 15*time.Minute)
		if err != nil || n != i || left <= 0 || left > 15*time.Minute {
			t.Fatalf("failure %d: n=%d left=%v err=%v", i, n, left, err)
		}
		m.FastForward(time.Minute)
	}
	if n, left, err := c.Failures(ctx, "login:wang"); err != nil || n != 3 || left > 13*time.Minute {
		t.Errorf("Failures = %d, %v, %v; the window runs from the first failure", n, left, err)
	}
	m.FastForward(13 * time.Minute)
	if n, _, _ := c.Failures(ctx, "login:wang"); n != 0 {
		t.Errorf("after the window: %d failures", n)
	}
	c.AddFailure(ctx, "login:li", time.Minute)
	if err := c.ClearFailures(ctx, "login:li"); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := c.Failures(ctx, "login:li"); n != 0 {
		t.Errorf("after clear: %d", n)
	}
}

func TestUseOnce(t *testing.T) {
	ctx := context.Background()
	c := testenv.KV(t)
	key := "totp:u1:" + time.Now().Format("150405.000000")
	if ok, err := c.UseOnce(ctx, key, time.Minute); err != nil || !ok {
		t.Fatalf("first use: %v %v", ok, err)
	}
	if ok, err := c.UseOnce(ctx, key, time.Minute); err != nil || ok {
		t.Fatalf("second use: %v %v", ok, err)
	}
	if ok, _ := c.UseOnce(ctx, key+"x", time.Minute); !ok {
		t.Fatal("another key was taken as used")
	}
}
