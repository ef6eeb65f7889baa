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

// openAt opens another process's store over uri, closed with the test.
func openAt(t *testing.T, uri string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), uri, "renke_test", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(context.Background()) })
	return s
}

// verifyChain checks a survey's whole chain and returns its length.
func verifyChain(t *testing.T, s *store.Store, surveyID string) int64 {
	t.Helper()
	ctx := context.Background()
	v := survey.NewVerifier()
	if err := s.EachResponse(ctx, surveyID, v.Next); err != nil {
		t.Fatalf("chain of %s does not verify: %v", surveyID, err)
	}
	seq, head := v.Head()
	wantSeq, wantHead, err := s.Head(ctx, surveyID)
	if err != nil {
		t.Fatal(err)
	}
	if seq != wantSeq || head != wantHead {
		t.Fatalf("verified to %d %s, store head %d %s", seq, head, wantSeq, wantHead)
	}
	return seq
}

// TestChainHeadHint: a process leaves the survey's head in the hint when it
// closes; a new process continues the chain from it, and from the responses
// when the hint lags (a crash) or is missing.
func TestChainHeadHint(t *testing.T) {
	ctx := context.Background()
	uri := testenv.Mongo(t, t.TempDir())
	open := func() *store.Store { return openAt(t, uri) }
	appendN := func(s *store.Store, from, n int) {
		for i := from; i < from+n; i++ {
			if err := s.AppendResponse(ctx, response("sh", "c1", survey.SharedCode, fmt.Sprintf("d%d", i))); err != nil {
				t.Fatalf("append %d: %v", i, err)
			}
		}
	}
	hint := func(s *store.Store) (int64, string) {
		var doc struct {
			Seq  int64  `bson:"seq"`
			Hash string `bson:"hash"`
		}
		if err := s.Collection("chain_heads").FindOne(ctx, bson.M{"_id": "sh"}).Decode(&doc); err != nil {
			t.Fatalf("read hint: %v", err)
		}
		return doc.Seq, doc.Hash
	}
	// A process appends and stops cleanly: its last head is in the hint.
	first := open()
	appendN(first, 0, 5)
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	reader := open()
	seq, hash := hint(reader)
	wantSeq, wantHash, err := reader.Head(ctx, "sh")
	if err != nil {
		t.Fatal(err)
	}
	if seq != wantSeq || hash != wantHash || seq != 5 {
		t.Fatalf("hint %d %s, head %d %s", seq, hash, wantSeq, wantHash)
	}

	// A new process continues from the hint.
	appendN(open(), 5, 3)
	if n := verifyChain(t, reader, "sh"); n != 8 {
		t.Fatalf("chain length %d, want 8", n)
	}
	// The hint lags (a crash): the next writer is refused, reads the
	// responses, goes on, and leaves the hint right when it stops.
	if _, err := reader.Collection("chain_heads").UpdateOne(ctx, bson.M{"_id": "sh"},
		bson.M{"$set": bson.M{"seq": 2, "hash": "stale"}}); err != nil {
		t.Fatal(err)
	}
	third := open()
	appendN(third, 8, 4)
	if n := verifyChain(t, reader, "sh"); n != 12 {
		t.Fatalf("after a lagging hint: chain length %d, want 12", n)
	}
	if err := third.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if seq, _ := hint(reader); seq != 12 {
		t.Fatalf("hint after recovery at %d, want 12", seq)
	}
	// No hint at all (data from before hints): the head comes from the responses.
	if _, err := reader.Collection("chain_heads").DeleteOne(ctx, bson.M{"_id": "sh"}); err != nil {
		t.Fatal(err)
	}
	appendN(open(), 12, 2)
	if n := verifyChain(t, reader, "sh"); n != 14 {
		t.Fatalf("without a hint: chain length %d, want 14", n)
	}
}

// TestEachResponseInChainOrder: records stored out of chain order (appends
// racing between replicas) are still read in order, and records after a gap
// come last, in order, for the verifier to report.
func TestEachResponseInChainOrder(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	col := s.ResponsesOf("so")
	for _, seq := range []int64{2, 1, 3, 5, 4, 9, 7} {
		r := response("so", "c1", survey.SharedCode, fmt.Sprintf("d%d", seq))
		r.Seq = seq
		if _, err := col.InsertOne(ctx, store.RawDocument(r, fmt.Sprintf("r%d", seq))); err != nil {
			t.Fatal(err)
		}
	}
	var got []int64
	if err := s.EachResponse(ctx, "so", func(r *survey.Response) error { got = append(got, r.Seq); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != "[1 2 3 4 5 7 9]" {
		t.Fatalf("read in order %v, want [1 2 3 4 5 7 9]", got)
	}
}
