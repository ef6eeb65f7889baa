package dossier

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"renke/account"
	"renke/demo"
	"renke/report"
	"renke/sampling"
	"renke/signing"
	"renke/survey"
)

var fixedNow = time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)

// testKey is a fixed signing key; otherKey stands for someone else's.
func testKey(t testing.TB, b byte) *signing.Key {
	t.Helper()
	k, err := signing.FromSeed(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// demoContents is the demo county's survey as the server would package it:
// plan drawn from the frame, codes issued by the plan, responses chained in
// submission order, the default quality rules, one override and two audit
// entries.
func demoContents(t testing.TB) *Contents {
	t.Helper()
	seed := int64(11)
	frame := demo.Frame()
	plan, err := sampling.MakePlan(frame, sampling.Options{Seed: &seed})
	if err != nil {
		t.Fatal(err)
	}
	sv, err := survey.NewSurvey(demo.CountyName, demo.Title, fixedNow.Add(-10*24*time.Hour), fixedNow.Add(20*24*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	sv.Seed = seed
	codes, err := demo.Codes(plan, sv.ID, sv.Opens)
	if err != nil {
		t.Fatal(err)
	}
	generated, _ := demo.Generate(sv, plan, codes, seed, fixedNow, []byte("test secret"))
	rs := make([]survey.Response, len(generated))
	seq, head := int64(0), survey.GenesisHash
	for i, r := range generated {
		r.StartedAt, r.SubmittedAt = survey.TruncateTime(r.StartedAt), survey.TruncateTime(r.SubmittedAt)
		r.Seal(seq, head)
		seq, head = r.Seq, r.Hash
		rs[i] = *r
	}
	c := &Contents{Survey: sv, Frame: frame, Plan: plan, Codes: codes, Responses: rs,
		Quality: report.DefaultQualityConfig(), Generated: fixedNow, Version: "test"}
	c.Overrides = []report.Override{{ResponseID: rs[3].ID, Exclude: true, Reason: "复核排除", By: "evaluator", At: fixedNow}}
	prev, prevSeq := survey.GenesisHash, int64(0)
	for i, act := range []account.Action{account.ActSurveyPlan, account.ActCodesIssue} {
		e, err := account.NewEntry(&account.User{Name: "coordinator"}, act, nil, map[string]any{"n": i}, fixedNow)
		if err != nil {
			t.Fatal(err)
		}
		e.Survey, e.County = sv.ID, sv.County
		e.Seal(prevSeq+int64(i), prev) // other surveys' entries lie between
		prev, prevSeq = e.Hash, e.Seq+1
		c.Audit = append(c.Audit, *e)
	}
	d, err := derive(c)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.EstimateSurvey(d)
	if err != nil {
		t.Fatal(err)
	}
	rep.SurveyID, rep.County, rep.Title = sv.ID, sv.County, sv.Title
	rep.ChainLength, rep.ChainHead = seq, head
	c.Report = rep
	return c
}

// pack writes c's package.
func pack(t *testing.T, c *Contents, key *signing.Key) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, c, key); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// unpack reads every file of a package.
func unpack(t *testing.T, pkg []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}

// repack writes files as a ZIP again, manifest first.
func repack(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := []string{FileManifest, FileSignature}
	for n := range files {
		if n != FileManifest && n != FileSignature {
			names = append(names, n)
		}
	}
	for _, n := range names {
		b, ok := files[n]
		if !ok {
			continue
		}
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// verify runs Verify over a package.
func verify(t *testing.T, pkg []byte, opt Options) *Result {
	t.Helper()
	res, err := Verify(bytes.NewReader(pkg), int64(len(pkg)), opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// demoContentsReport recomputes the report of contents whose responses changed.
func demoContentsReport(t testing.TB, c *Contents) *Contents {
	t.Helper()
	d, err := derive(c)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := report.EstimateSurvey(d)
	if err != nil {
		t.Fatal(err)
	}
	last := c.Responses[len(c.Responses)-1]
	rep.SurveyID, rep.County, rep.Title = c.Survey.ID, c.Survey.County, c.Survey.Title
	rep.ChainLength, rep.ChainHead = last.Seq, last.Hash
	c.Report = rep
	return c
}
