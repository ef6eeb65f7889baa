package kv_test

import (
	"context"
	"errors"
	"testing"

	"github.com/alicebob/miniredis/v2"

	"renke/kv"
	"renke/store"
	"renke/survey"
)

// TestUnavailableIsDistinct: a Redis that went away is reported as
// kv.ErrUnavailable (and so as survey.ErrUnavailable), never as the store's.
func TestUnavailableIsDistinct(t *testing.T) {
	m := miniredis.RunT(t)
	c, err := kv.Open(context.Background(), "redis://"+m.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	m.Close()
	_, err = c.OnceHolder(context.Background(), "s1", "c:x")
	if !errors.Is(err, kv.ErrUnavailable) || !errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("got %v, want kv.ErrUnavailable wrapping survey.ErrUnavailable", err)
	}
	if errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("a Redis outage reads as the store's: %v", err)
	}
}
