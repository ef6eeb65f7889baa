package store_test

import (
	"context"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

// TestLegacyResponsesMoveToTheirSurveys: responses an earlier version kept in
// one shared collection are moved, unchanged, into their surveys' own
// collections at start; the chains verify and continue, the uniqueness rules
// hold, and a start interrupted after part of the move finishes it.
func TestLegacyResponsesMoveToTheirSurveys(t *testing.T) {
	ctx := context.Background()
	uri := testenv.Mongo(t, t.TempDir())
	first := openAt(t, uri)
	legacy := first.Collection("responses")
	for _, sv := range []string{"la", "lb"} {
		seq, hash := int64(0), survey.GenesisHash
		for i := range 25 {
			r := response(sv, "shared-"+sv, survey.SharedCode, fmt.Sprint("d", i))
			r.Seal(seq, hash)
			seq, hash = r.Seq, r.Hash
			if _, err := legacy.InsertOne(ctx, legacyDoc(t, r)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// An interrupted earlier move: one document is in its survey's collection already.
	var one bson.Raw
	if err := legacy.FindOne(ctx, bson.M{"survey_id": "la"}).Decode(&one); err != nil {
		t.Fatal(err)
	}
	if _, err := first.ResponsesOf("la").InsertOne(ctx, one); err != nil {
		t.Fatal(err)
	}
	first.Close(ctx)

	s := openAt(t, uri)
	for _, sv := range []string{"la", "lb"} {
		if n := verifyChain(t, s, sv); n != 25 {
			t.Fatalf("%s: moved chain length %d, want 25", sv, n)
		}
	}
	if n, err := s.Collection("responses").CountDocuments(ctx, bson.M{}); err != nil || n != 0 {
		t.Fatalf("legacy collection still holds %d documents (%v)", n, err)
	}
	if err := s.AppendResponse(ctx, response("la", "shared-la", survey.SharedCode, "d3")); err == nil {
		t.Fatal("a device that answered before the move answered again")
	}
	if err := s.AppendResponse(ctx, response("la", "shared-la", survey.SharedCode, "new")); err != nil {
		t.Fatal(err)
	}
	if n := verifyChain(t, s, "la"); n != 26 {
		t.Fatalf("chain continued to %d, want 26", n)
	}
	ids, err := s.ResponseSurveys(ctx)
	if err != nil || len(ids) != 2 {
		t.Fatalf("surveys with responses %v (%v), want la and lb", ids, err)
	}
}

// TestSurveysKeepTheirOwnResponses: each survey reads, counts and chains only
// its own responses, and a device may answer two surveys.
func TestSurveysKeepTheirOwnResponses(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	for i := range 6 {
		for _, sv := range []string{"sa", "sb"} {
			if i >= 2 && sv == "sb" {
				continue
			}
			if err := s.AppendResponse(ctx, response(sv, "c-"+sv, survey.SharedCode, fmt.Sprint("d", i))); err != nil {
				t.Fatal(err)
			}
		}
	}
	if a, b := verifyChain(t, s, "sa"), verifyChain(t, s, "sb"); a != 6 || b != 2 {
		t.Fatalf("chains of 6 and 2, got %d and %d", a, b)
	}
	counts, err := s.CountsByCode(ctx, "sb")
	if err != nil || len(counts) != 1 || counts["c-sb"] != 2 {
		t.Fatalf("counts of sb %v (%v)", counts, err)
	}
	n := 0
	if err := s.EachResponse(ctx, "none", func(*survey.Response) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("a survey without responses read %d (%v)", n, err)
	}
}

// legacyDoc is r as an earlier version stored it, with its once key.
func legacyDoc(t *testing.T, r *survey.Response) bson.M {
	t.Helper()
	b, err := bson.Marshal(store.RawDocument(r, r.ID))
	if err != nil {
		t.Fatal(err)
	}
	var m bson.M
	if err := bson.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["once_key"] = store.OnceKey(r)
	return m
}
