package store_test

import (
	"context"
	"strings"
	"testing"

	"renke/internal/testenv"
	"renke/survey"
)

func TestExplainHotQueries(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	if err := s.CreateSurvey(ctx, newSurvey("sx")); err != nil {
		t.Fatal(err)
	}
	for i, dev := range []string{"d1", "d2", "d3"} {
		if err := s.AppendResponse(ctx, response("sx", "c1", survey.SharedCode, dev)); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
	plans, err := s.ExplainHotQueries(ctx, "sx", "c1")
	if err != nil {
		t.Fatal(err)
	}
	if len(plans) != 9 {
		t.Fatalf("got %d plans, want 9", len(plans))
	}
	for _, p := range plans {
		t.Logf("%-50s indexed=%v  %s", p.Name, p.Indexed, p.Plan)
		if p.Name == "" || p.PerCall == "" {
			t.Errorf("plan %+v lacks a name or frequency", p)
		}
		// The server's own plan is read: SQLite's SCAN/SEARCH lines under
		// FerretDB, plan stages under MongoDB.
		if !strings.Contains(p.Plan, "SCAN") && !strings.Contains(p.Plan, "SEARCH") {
			t.Errorf("%s: no server plan read: %q", p.Name, p.Plan)
		}
		// Lookups by _id in collections made at start use an index
		// (embedded.IndexIDLookups; FerretDB's own _id index is not used).
		if p.Name == "access code by id" && !p.Indexed {
			t.Errorf("%s: not indexed: %s", p.Name, p.Plan)
		}
		if strings.HasPrefix(p.Name, "response") && p.Collection != "responses_sx" {
			t.Errorf("%s: asked %s, not the survey's own collection", p.Name, p.Collection)
		}
	}
}
