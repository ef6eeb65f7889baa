package demo

import (
	"context"
	"fmt"
	"math"
	"os"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/report"
	"renke/reporting"
	"renke/sampling"
	"renke/store"
	"renke/survey"
)

func TestMain(m *testing.M) {
	account.HashCost = bcrypt.MinCost // the demo accounts' hashes, not their cost, are under test
	os.Exit(m.Run())
}

// testSecret keys the address hashes of the tests.
var testSecret = []byte("demo-test-secret-0123456789")

// stored reads a survey's responses in chain order.
func stored(t *testing.T, st *store.Store, id string) []survey.Response {
	t.Helper()
	var out []survey.Response
	if err := st.EachResponse(context.Background(), id, func(r *survey.Response) error {
		out = append(out, *r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// buildReport is the report of a stored survey, as `renke report` builds it;
// the chain head, which depends on the random code tokens, is left out.
func buildReport(t *testing.T, st *store.Store, id string) *report.Report {
	t.Helper()
	d, err := reporting.Build(context.Background(), st, id)
	if err != nil {
		t.Fatal(err)
	}
	rep := d.Report
	if rep == nil {
		t.Fatalf("no report: %s", d.NoData)
	}
	if d.ChainError != nil {
		t.Fatalf("chain: %v", d.ChainError)
	}
	if v := rep.Verification; v == nil || !v.Responses.OK || !v.Audit.OK || reporting.SettingsError(v.Settings) != nil {
		t.Fatalf("verification of the demo's data: %+v", v)
	}
	// The hashes, and the checkpoint over them, are the store's, not the numbers'.
	rep.ChainHead, rep.Verification, rep.Checkpoint = "", nil, nil
	return rep
}

// estimate is the report of responses not stored, with the report's own
// quality rules and estimator.
func estimate(t *testing.T, sv *survey.Survey, frame *sampling.Frame, rs []survey.Response) *report.Report {
	t.Helper()
	d := &report.Published{Survey: sv, Frame: frame, Responses: rs}
	var err error
	if d.Quality, err = report.CheckQuality(rs, report.DefaultQualityConfig()); err != nil {
		t.Fatal(err)
	}
	rep, err := report.EstimateSurvey(d)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// sameNumbers compares two JSON documents, numbers within tol; it returns
// the path of the first difference, or "".
func sameNumbers(a, b any, tol float64, path string) string {
	switch a := a.(type) {
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return path
		}
		for k, v := range a {
			if d := sameNumbers(v, bm[k], tol, path+"."+k); d != "" {
				return d
			}
		}
	case []any:
		bs, ok := b.([]any)
		if !ok || len(a) != len(bs) {
			return path
		}
		for i := range a {
			if d := sameNumbers(a[i], bs[i], tol, fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case float64:
		bf, ok := b.(float64)
		if !ok || math.Abs(a-bf) > tol*max(1, math.Abs(a)) {
			return path
		}
	default:
		if a != b {
			return path
		}
	}
	return ""
}
