package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"renke/survey"
)

// TestRepeatRefusedWithoutStore: a device or one-time code that has answered
// is told so from Redis, without a read of the store, so the refusal holds
// (and costs nothing) even while the store is away.
func TestRepeatRefusedWithoutStore(t *testing.T) {
	f := newFixture(t)
	shared := f.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandUpper, Quota: 30})[0]
	once := f.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Teacher, School: school, Count: 1})[0]
	parent := body(f.answers(survey.Parent, "1"), "")
	teacher := body(f.answers(survey.Teacher, "1"), "")
	code, _, cookies := f.post(shared.Code, parent, "10.0.0.7")
	if code != http.StatusCreated {
		t.Fatalf("first parent: %d", code)
	}
	if code, _, _ := f.post(once.Code, teacher, "10.0.0.8"); code != http.StatusCreated {
		t.Fatalf("first teacher: %d", code)
	}
	if err := f.store.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := f.post(shared.Code, parent, "10.0.0.7", cookies...); code != http.StatusConflict || !strings.Contains(out["error"].(string), "已经") {
		t.Fatalf("same device, store away: %d %v; want 409 from the mark", code, out)
	}
	if code, out, _ := f.post(once.Code, teacher, "10.0.0.9"); code != http.StatusConflict || !strings.Contains(out["error"].(string), "已") {
		t.Fatalf("used one-time code, store away: %d %v; want 409 from the mark", code, out)
	}
	// A new device does need the store: it is told to try again later.
	if code, _, _ := f.post(shared.Code, parent, "10.0.0.10"); code != http.StatusServiceUnavailable {
		t.Fatalf("new device, store away: %d, want 503", code)
	}
}
