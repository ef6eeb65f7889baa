package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/internal/testenv"
	"renke/signing"
	"renke/store"
	"renke/survey"
)

// TestCutTailRefusesAppends: after the newest response is deleted with the
// server stopped, the next server refuses to extend the chain, so the
// deleted response's one-time code is not accepted again; with the hint
// deleted too, the stored checkpoint tells.
func TestCutTailRefusesAppends(t *testing.T) {
	ctx := context.Background()
	uri := testenv.Mongo(t, t.TempDir())
	key, err := signing.FromSeed(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	first := openAt(t, uri)
	first.SetSigningKey(key)
	for i := range 5 {
		if err := first.AppendResponse(ctx, response("cut", fmt.Sprint("code", i), survey.OneTimeCode, fmt.Sprint("d", i))); err != nil {
			t.Fatal(err)
		}
	}
	if err := first.Close(ctx); err != nil {
		t.Fatal(err)
	}
	reader := openAt(t, uri)
	cp, err := reader.NewestCheckpoint(ctx, "cut")
	if err != nil || cp == nil || cp.Seq != 5 || cp.Verify(key.Public()) != nil {
		t.Fatalf("checkpoint at close: %+v %v", cp, err)
	}
	if _, err := reader.ResponsesOf("cut").DeleteOne(ctx, bson.M{"survey_id": "cut", "seq": 5}); err != nil {
		t.Fatal(err)
	}
	again := response("cut", "code4", survey.OneTimeCode, "d4")
	if err := openAt(t, uri).AppendResponse(ctx, again); !errors.Is(err, store.ErrTailCut) || !errors.Is(err, survey.ErrUnavailable) {
		t.Fatalf("the deleted response's code again, after a restart: %v", err)
	}
	if _, err := reader.Collection("chain_heads").DeleteOne(ctx, bson.M{"_id": "cut"}); err != nil {
		t.Fatal(err)
	}
	if err := openAt(t, uri).AppendResponse(ctx, again); !errors.Is(err, store.ErrTailCut) {
		t.Fatalf("the code again, hint deleted too: %v", err)
	}
	// An untouched chain goes on after a restart.
	if err := openAt(t, uri).AppendResponse(ctx, response("other", "x1", survey.OneTimeCode, "d1")); err != nil {
		t.Fatal(err)
	}
}
