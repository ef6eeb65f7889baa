package main

import (
	"context"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/config"
	"renke/survey"
)

// openData opens the data directory's store for a test to seed or tamper
// with, as someone with access to the database would.
func openData(t *testing.T, data string) *env {
	t.Helper()
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	e, err := parseEnv(context.Background(), fs, config.Flags(fs, false), []string{"--data", data}, false)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// expectBreak runs verify with args and wants it to fail naming every want.
func expectBreak(t *testing.T, what string, args []string, want ...string) {
	t.Helper()
	err := runVerify(context.Background(), args)
	if err == nil {
		t.Fatalf("%s: verify %v passed", what, args)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Fatalf("%s: verify %v: %v\nwant %q", what, args, err, w)
		}
	}
}

// reseal rewrites the responses of a survey from seq on as an attacker who
// knows the chain's rule would: each one's hashes recomputed after edit.
func reseal(t *testing.T, e *env, id string, from int64, edit func(*survey.Response)) {
	t.Helper()
	ctx := context.Background()
	var rs []survey.Response
	if err := e.store.EachResponse(ctx, id, func(r *survey.Response) error { rs = append(rs, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		r := &rs[i]
		if r.Seq < from {
			continue
		}
		if r.Seq == from {
			edit(r)
		}
		r.Seal(rs[i-1].Seq, rs[i-1].Hash)
		if _, err := e.store.Collection("responses").UpdateOne(ctx, bson.M{"_id": r.ID},
			bson.M{"$set": bson.M{"answers": r.Answers, "prev_hash": r.PrevHash, "hash": r.Hash}}); err != nil {
			t.Fatal(err)
		}
	}
	last := rs[len(rs)-1]
	// Covering the tracks: the hint follows, the stored checkpoints go.
	if _, err := e.store.Collection("chain_heads").UpdateOne(ctx, bson.M{"_id": id}, bson.M{"$set": bson.M{"hash": last.Hash}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Collection("checkpoints").DeleteMany(ctx, bson.M{"chain": id}); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyCatchesEachTamper: every tamper of the evidence issue is named
// by verify: with the head hint and stored checkpoints alone where they
// tell, with a checkpoint file taken before where only it can.
func TestVerifyCatchesEachTamper(t *testing.T) {
	account.HashCost = bcrypt.MinCost
	ctx := context.Background()
	data := t.TempDir()
	for _, name := range []string{"root", "admin2", "admin3"} {
		if err := userAdd(ctx, []string{"--data", data, "--name", name, "--role", "admin"}, strings.NewReader(""), io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	e := openData(t, data)
	sv := seedSurvey(t, e.store, "北川县", 30, nil)
	e.close()
	id := sv.ID
	must := func(args ...string) {
		t.Helper()
		if err := runVerify(ctx, args); err != nil {
			t.Fatalf("verify %v: %v", args, err)
		}
	}
	must("--data", data, "--survey", id)
	cpFile := filepath.Join(data, "cp-30.json")
	if err := runCheckpoint(ctx, []string{"--data", data, "--survey", id, "--out", cpFile}); err != nil {
		t.Fatal(err)
	}
	auditFile := filepath.Join(data, "cp-audit.json")
	if err := runCheckpoint(ctx, []string{"--data", data, "--audit", "--out", auditFile}); err != nil {
		t.Fatal(err)
	}
	must("--data", data, "--survey", id, "--checkpoint", cpFile)

	// 1. An edit in the middle, hash left: named at the record.
	e = openData(t, data)
	if _, err := e.store.Collection("responses").UpdateOne(ctx, bson.M{"survey_id": id, "seq": 8},
		bson.M{"$set": bson.M{"answers.s01": "1"}}); err != nil {
		t.Fatal(err)
	}
	e.close()
	expectBreak(t, "edit", []string{"--data", data, "--survey", id}, "seq 8 (response", "content changed")

	// 2. The tail rewritten from seq 12 with recomputed hashes, the hint
	// moved and the stored checkpoints deleted: only the file tells.
	e = openData(t, data)
	reseal(t, e, id, 12, func(r *survey.Response) {
		for k := range r.Answers {
			r.Answers[k] = "1"
		}
	})
	e.close()
	expectBreak(t, "rewrite", []string{"--data", data, "--survey", id}, "seq 8 (response")
	expectBreak(t, "rewrite", []string{"--data", data, "--survey", id, "--checkpoint", cpFile},
		"seq 8 (response", "seq 30: differs from the checkpoint "+cpFile)

	// 3. The newest response deleted: the head hint names the cut tail;
	// with the hint deleted too, the checkpoint file does.
	e = openData(t, data)
	if _, err := e.store.Collection("responses").DeleteOne(ctx, bson.M{"survey_id": id, "seq": 30}); err != nil {
		t.Fatal(err)
	}
	e.close()
	expectBreak(t, "tail cut", []string{"--data", data, "--survey", id}, "seq 30: missing at the end (the head hint says seq 30 was recorded by ", "the chain ends at 29")
	expectBreak(t, "tail cut", []string{"--data", data, "--all"}, "1 of 2 chains do not verify")
	e = openData(t, data)
	if _, err := e.store.Collection("chain_heads").DeleteOne(ctx, bson.M{"_id": id}); err != nil {
		t.Fatal(err)
	}
	e.close()
	expectBreak(t, "tail cut, no hint", []string{"--data", data, "--survey", id, "--checkpoint", cpFile},
		"seq 30: missing at the end (the checkpoint "+cpFile+" says seq 30 was recorded by ")

	// 4. The audit log's tail cut: the hint and the stored checkpoint name it.
	e = openData(t, data)
	head, _, err := e.store.AuditHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.Collection("audit").DeleteMany(ctx, bson.M{"seq": bson.M{"$gte": head}}); err != nil {
		t.Fatal(err)
	}
	e.close()
	expectBreak(t, "audit tail cut", []string{"--data", data, "--audit"}, "missing at the end", "the chain ends at")
	expectBreak(t, "audit tail cut", []string{"--data", data, "--audit", "--checkpoint", auditFile}, "missing at the end")
}
