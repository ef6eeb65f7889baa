package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/config"
	"renke/hashchain"
	"renke/reporting"
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
		if _, err := e.store.ResponsesOf(r.SurveyID).UpdateOne(ctx, bson.M{"_id": r.ID},
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
	if _, err := e.store.ResponsesOf(id).UpdateOne(ctx, bson.M{"survey_id": id, "seq": 8},
		bson.M{"$set": bson.M{"answers.s01": "1"}}); err != nil {
		t.Fatal(err)
	}
	e.close()
	expectBreak(t, "edit", []string{"--data", data, "--survey", id}, "seq 8 (response", "content changed")

	// 1b. A device id changed: the commitment names it.
	e = openData(t, data)
	if _, err := e.store.ResponsesOf(id).UpdateOne(ctx, bson.M{"survey_id": id, "seq": 9},
		bson.M{"$set": bson.M{"device_id": "someone-else"}}); err != nil {
		t.Fatal(err)
	}
	e.close()
	expectBreak(t, "device id", []string{"--data", data, "--survey", id}, "seq 9 (response", "do not match their commitment")

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
	if _, err := e.store.ResponsesOf(id).DeleteOne(ctx, bson.M{"survey_id": id, "seq": 30}); err != nil {
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

// TestReportCarriesCheckpointAndVerification: every report format states a
// checkpoint of the verified head signed with the server's key (JSON with
// the key's fingerprint; the PDF prints fingerprint and head); the JSON
// report names every break, as the HTML one does; the checkpoint saved from
// the JSON report is one verify --checkpoint accepts.
func TestReportCarriesCheckpointAndVerification(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	e := openData(t, data)
	defer func() { e.close() }()
	sv := seedSurvey(t, e.store, "北川县", 60, nil)
	rep, d, err := split(reporting.Build(ctx, e.store, sv.ID))
	if err != nil {
		t.Fatal(err)
	}
	key := e.cfg.Signing
	cp := rep.Checkpoint
	if cp == nil || cp.Verify(key.Public()) != nil || cp.Seq != 60 || cp.Head != rep.ChainHead || cp.Key != key.Fingerprint() {
		t.Fatalf("report checkpoint %+v", cp)
	}
	if v := rep.Verification; v == nil || !v.Responses.OK || v.Responses.Verified != 60 || v.AuditCheckpoint == nil {
		t.Fatalf("report verification %+v", v)
	}
	var js, pdf bytes.Buffer
	if err := writeFormat("json", &js, d); err != nil {
		t.Fatal(err)
	}
	if err := writeFormat("pdf", &pdf, d); err != nil {
		t.Fatal(err)
	}
	var parsed struct {
		Checkpoint   json.RawMessage `json:"checkpoint"`
		Verification struct {
			Responses hashchain.Result `json:"responses"`
		} `json:"verification"`
	}
	if err := json.Unmarshal(js.Bytes(), &parsed); err != nil || !parsed.Verification.Responses.OK {
		t.Fatalf("JSON report: %v %+v", err, parsed.Verification)
	}
	cpFile := filepath.Join(data, "from-report.json")
	if err := os.WriteFile(cpFile, parsed.Checkpoint, 0o644); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, pdf.Bytes()); !strings.Contains(text, key.Fingerprint()) || !strings.Contains(strings.ReplaceAll(text, "\n", ""), cp.Head) {
		t.Errorf("the PDF does not print the key's fingerprint %s and the head %s", key.Fingerprint(), cp.Head)
	}

	// Two edits and a deletion: the JSON report names each of them.
	for _, seq := range []int64{7, 40} {
		if _, err := e.store.ResponsesOf(sv.ID).UpdateOne(ctx, bson.M{"survey_id": sv.ID, "seq": seq},
			bson.M{"$set": bson.M{"ua_family": "edited"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.store.ResponsesOf(sv.ID).DeleteOne(ctx, bson.M{"survey_id": sv.ID, "seq": 20}); err != nil {
		t.Fatal(err)
	}
	rep, d, err = split(reporting.Build(ctx, e.store, sv.ID))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range rep.Verification.Responses.Breaks {
		got = append(got, b.String())
	}
	if want := "seq 7: " + survey.ReasonUncommitted + " | seq 20: missing | seq 40: " + survey.ReasonUncommitted; strings.Join(got, " | ") != want || rep.Checkpoint != nil {
		t.Fatalf("JSON breaks %q (checkpoint %v), want %q", got, rep.Checkpoint != nil, want)
	}
	var html bytes.Buffer
	if err := writeFormat("html", &html, d); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"seq 7 (response", "seq 20: missing", "seq 40 (response"} {
		if !strings.Contains(html.String(), w) {
			t.Errorf("HTML report does not name %q", w)
		}
	}
	e.close()
	expectBreak(t, "report's checkpoint", []string{"--data", data, "--survey", sv.ID, "--checkpoint", cpFile}, "seq 7 (response", "seq 20: missing")
	e = openData(t, data)
}

// pdfText extracts a PDF's text with pdftotext, or skips the test.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
