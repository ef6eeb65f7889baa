package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"renke/survey"
)

// TestClassifyUnavailable: a store that cannot be reached is reported as
// store.ErrUnavailable (and so as survey.ErrUnavailable), distinct from Redis's.
func TestClassifyUnavailable(t *testing.T) {
	err := classify(fmt.Errorf("insert: %w", context.DeadlineExceeded))
	if !errors.Is(err, ErrUnavailable) || !errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("got %v, want store.ErrUnavailable wrapping survey.ErrUnavailable", err)
	}
	if errors.Is(classify(errors.New("refused")), ErrUnavailable) {
		t.Fatal("a refusal reads as an outage")
	}
}
