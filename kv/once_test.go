package kv_test

import (
	"context"
	"testing"
	"time"

	"renke/internal/testenv"
)

func TestOnceMarks(t *testing.T) {
	c := testenv.KV(t)
	ctx := context.Background()
	if id, err := c.OnceHolder(ctx, "s1", "d:s1:dev1"); err != nil || id != "" {
		t.Fatalf("unmarked key: %q, %v", id, err)
	}
	if err := c.MarkOnce(ctx, "s1", "d:s1:dev1", "resp-1", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if id, err := c.OnceHolder(ctx, "s1", "d:s1:dev1"); err != nil || id != "resp-1" {
		t.Fatalf("marked key: %q, %v", id, err)
	}
	if id, _ := c.OnceHolder(ctx, "s1", "d:s1:dev2"); id != "" {
		t.Fatalf("another key is marked: %q", id)
	}
	if id, _ := c.OnceHolder(ctx, "s2", "d:s1:dev1"); id != "" {
		t.Fatalf("another survey's key is marked: %q", id)
	}
	// Marks expire with their survey: a short one is gone after its time.
	if err := c.MarkOnce(ctx, "s1", "c:code9", "resp-9", time.Now().Add(50*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		id, err := c.OnceHolder(ctx, "s1", "c:code9")
		if err != nil {
			t.Fatal(err)
		}
		if id == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a mark with a 50 ms lifetime is still there after 5 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
