package store_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/internal/testenv"
	"renke/survey"
)

func issue(t *testing.T, surveyID string, n int) []survey.Code {
	t.Helper()
	sp := survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Deputy, Count: n}
	cs, err := sp.Issue(surveyID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestCodesListedPerSurvey: a survey lists its own codes only; every code is
// found by itself; codes an earlier version kept only in the shared
// collection are copied to their survey's list at the next start.
func TestCodesListedPerSurvey(t *testing.T) {
	ctx := context.Background()
	uri := testenv.Mongo(t, t.TempDir())
	s := openAt(t, uri)
	a, b := issue(t, "ca", 3), issue(t, "cb", 2)
	for _, cs := range [][]survey.Code{a, b} {
		if err := s.InsertCodes(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.Codes(ctx, "ca"); err != nil || len(got) != 3 {
		t.Fatalf("codes of ca: %d (%v)", len(got), err)
	}
	if c, err := s.Code(ctx, b[1].Code); err != nil || c.SurveyID != "cb" {
		t.Fatalf("code of cb: %+v (%v)", c, err)
	}
	if err := s.InsertCodes(ctx, []survey.Code{a[0]}); err == nil {
		t.Fatal("a code issued twice was stored")
	}
	if got, _ := s.Codes(ctx, "ca"); len(got) != 3 {
		t.Fatalf("a refused code changed the list: %d", len(got))
	}
	// An earlier version's data: codes of cc only in the shared collection.
	legacy := issue(t, "cc", 4)
	for _, c := range legacy {
		if _, err := s.Collection("codes").InsertOne(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Collection("migrations").DeleteOne(ctx, bson.M{"_id": "codes_by_survey"}); err != nil {
		t.Fatal(err)
	}
	s.Close(ctx)
	again := openAt(t, uri)
	for id, n := range map[string]int{"ca": 3, "cb": 2, "cc": 4} {
		if got, err := again.Codes(ctx, id); err != nil || len(got) != n {
			t.Fatalf("after the copy, codes of %s: %d (%v), want %d", id, len(got), err, n)
		}
	}
}
