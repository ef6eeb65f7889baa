package checkpoint_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"renke/evidence/checkpoint"
	"renke/signing"
)

func key(t *testing.T, b byte) *signing.Key {
	k, err := signing.FromSeed(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestCheckpointRoundTripAndTamper: a written checkpoint reads back and
// verifies; any changed field, or another key, does not.
func TestCheckpointRoundTripAndTamper(t *testing.T) {
	k := key(t, 1)
	at := time.Date(2026, 5, 1, 8, 0, 0, 123456789, time.UTC)
	c := checkpoint.Sign(k, "sv1", 946, strings.Repeat("ab", 32), at)
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := checkpoint.Read(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if back.Seq != 946 || back.Key != k.Fingerprint() || !back.At.Equal(at.Truncate(time.Millisecond)) {
		t.Fatalf("read back %+v", back)
	}
	if err := back.Verify(k.Public()); err != nil {
		t.Fatal(err)
	}
	if err := back.Verify(key(t, 2).Public()); !errors.Is(err, checkpoint.ErrBadSignature) {
		t.Fatalf("another deployment's key: %v", err)
	}
	for name, edit := range map[string]func(*checkpoint.Checkpoint){
		"seq":   func(c *checkpoint.Checkpoint) { c.Seq = 945 },
		"head":  func(c *checkpoint.Checkpoint) { c.Head = strings.Repeat("cd", 32) },
		"chain": func(c *checkpoint.Checkpoint) { c.Chain = "sv2" },
		"at":    func(c *checkpoint.Checkpoint) { c.At = c.At.Add(time.Hour) },
		"resigned by another key": func(c *checkpoint.Checkpoint) {
			*c = *checkpoint.Sign(key(t, 3), c.Chain, c.Seq, c.Head, c.At)
		},
	} {
		cp := *back
		edit(&cp)
		if err := cp.Verify(k.Public()); !errors.Is(err, checkpoint.ErrBadSignature) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	if _, err := checkpoint.Read(strings.NewReader(`{"chain":"sv1","seq":1}`)); err == nil || !strings.Contains(err.Error(), "missing at, head, key") {
		t.Fatalf("incomplete file: %v", err)
	}
}
