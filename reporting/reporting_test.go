package reporting_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/internal/testenv"
	"renke/report"
	"renke/reporting"
	"renke/store"
	"renke/survey"
)

// seed stores an open survey with responses from schools and county lists.
func seed(t testing.TB, st *store.Store, n int) *survey.Survey {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	sv, err := survey.NewSurvey("报告县", "报告县社会认可度调查", now.Add(-48*time.Hour), now.Add(48*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	groups := []survey.Group{survey.Student, survey.Parent, survey.Teacher, survey.Principal, survey.Public}
	for i := 0; i < n; i++ {
		g := groups[rng.IntN(len(groups))]
		u := survey.Urbanicities[rng.IntN(3)]
		r := &survey.Response{ID: fmt.Sprintf("%s-r%04d", sv.ID, i), SurveyID: sv.ID, Code: fmt.Sprintf("%s-code-%d", sv.ID, i),
			CodeKind: survey.OneTimeCode, Group: g, Urbanicity: u, DeviceID: fmt.Sprint("d", i),
			AddrHash: fmt.Sprint("a", i%50), UAFamily: "wechat", Answers: map[string]string{},
			StartedAt:   now.Add(-time.Duration(300+rng.IntN(600)) * time.Second).Add(-time.Duration(i) * time.Minute),
			SubmittedAt: now.Add(-time.Duration(i) * time.Minute)}
		if g.ViaSchool() {
			r.School = fmt.Sprintf("S%02d", rng.IntN(12))
			r.Township = fmt.Sprintf("T%d", rng.IntN(4))
		}
		if bands := survey.BandsFor(g); len(bands) > 0 {
			r.Band = bands[rng.IntN(len(bands))]
		}
		q := sv.Forms[g.Form()]
		r.Form, r.FormVersion = q.Kind, q.Version
		for _, it := range q.Items {
			r.Answers[it.ID] = survey.OptionCodes[min(rng.IntN(7), 4)]
		}
		if err := st.AppendResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return sv
}

func TestBuildAndReplicationAgree(t *testing.T) {
	st := testenv.Store(t)
	sv := seed(t, st, 300)
	rep, d, err := split(reporting.Build(context.Background(), st, sv.ID))
	if err != nil {
		t.Fatal(err)
	}
	seq, head, _ := st.Head(context.Background(), sv.ID)
	if rep.ChainLength != seq || rep.ChainHead != head || d.ChainError != nil {
		t.Fatalf("report chain %d %s (%v), store head %d %s", rep.ChainLength, rep.ChainHead, d.ChainError, seq, head)
	}
	if rep.Counts.Responses != 300 || rep.Overall.N != rep.Counts.Valid {
		t.Fatalf("counts %+v, overall n %d", rep.Counts, rep.Overall.N)
	}
	// The replication file reruns to the same numbers.
	var buf bytes.Buffer
	if err := report.WriteReplication(&buf, d); err != nil {
		t.Fatal(err)
	}
	rr, err := report.NewReplicationReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	est, err := report.NewEstimator(report.Config{PrecomputedWeights: true, GroupWeights: sv.GroupWeights, Bar: report.DefaultBar})
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for {
		row, err := rr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows++
		if err := est.Add(row.Unit()); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := est.Summary()
	if err != nil {
		t.Fatal(err)
	}
	if rows != 300 || math.Abs(sum.Overall.Rate-rep.Overall.Rate) > 1e-12 || math.Abs(sum.Overall.SE-rep.Overall.SE) > 1e-12 {
		t.Fatalf("replication: %d rows, rate %.15f se %.15f; report rate %.15f se %.15f",
			rows, sum.Overall.Rate, sum.Overall.SE, rep.Overall.Rate, rep.Overall.SE)
	}
}

func TestBuildWithoutValidResponsesSaysSo(t *testing.T) {
	st := testenv.Store(t)
	sv := seed(t, st, 0)
	d, err := reporting.Build(context.Background(), st, sv.ID)
	if err != nil || d == nil || d.HasData() || d.Report != nil || d.Survey.ID != sv.ID || d.NoData != report.ErrNoData.Error() {
		t.Fatalf("empty survey: %+v, error %v; want the data without a report, saying why", d, err)
	}
}

func TestBuildCarriesTheSurveysAuditTrail(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 20)
	for i, id := range []string{sv.ID, "another", sv.ID} {
		e, err := account.NewEntry(&account.User{ID: "u1", Name: "eval", Role: account.Evaluator}, account.ActExclusion,
			nil, map[string]any{"n": i}, time.Now().Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		e.Survey = id
		if err := st.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	d, err := reporting.Build(ctx, st, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Audit) != 2 || d.Audit[0].After != `{"n":0}` || d.Audit[1].After != `{"n":2}` || d.Audit[1].Seq != 3 {
		t.Fatalf("the report's trail: %+v; want this survey's two entries, oldest first", d.Audit)
	}
	seq, head, err := st.AuditHead(ctx)
	if err != nil || d.AuditChain.Err != nil || d.AuditChain.Length != 3 || seq != 3 || d.AuditChain.Head != head {
		t.Fatalf("the report's audit chain %+v; store head %d %s (%v)", d.AuditChain, seq, head, err)
	}

	// An entry about another survey is edited behind renke's back: this
	// survey's report still says the log no longer verifies, and where.
	if _, err := st.Collection("audit").UpdateOne(ctx, map[string]any{"seq": 2},
		map[string]any{"$set": map[string]any{"actor": "someone"}}); err != nil {
		t.Fatal(err)
	}
	if d, err = reporting.Build(ctx, st, sv.ID); err != nil {
		t.Fatal(err)
	}
	if d.AuditChain.Err == nil || d.AuditChain.Length != 1 || !strings.Contains(d.AuditChain.Err.Error(), "seq 2") || len(d.Audit) != 2 {
		t.Fatalf("after an edit: chain %+v, trail of %d", d.AuditChain, len(d.Audit))
	}
}

// TestBuildNamesOverridesWithoutAuditEntry: an override recorded in the audit
// log as renke records it is not named; one written into the store alone is,
// and is still applied.
func TestBuildNamesOverridesWithoutAuditEntry(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 20)
	var rs []survey.Response
	if err := st.EachResponse(ctx, sv.ID, func(r *survey.Response) error { rs = append(rs, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	at := survey.TruncateTime(time.Now().Add(-time.Hour))
	audited := report.Override{ResponseID: rs[0].ID, Exclude: true, Reason: "同一家长填写两次", By: "eval1", At: at}
	e, err := account.NewEntry(&account.User{Name: "eval1", Role: account.Evaluator}, account.ActExclusion,
		map[string]any{"excluded": false}, map[string]any{"excluded": true, "reason": audited.Reason}, at)
	if err != nil {
		t.Fatal(err)
	}
	e.Survey, e.Target, e.Note = sv.ID, audited.ResponseID, audited.Reason
	if err := st.AppendAudit(ctx, e); err != nil {
		t.Fatal(err)
	}
	injected := report.Override{ResponseID: rs[1].ID, Exclude: true, Reason: "直接写库", By: "eval1", At: at}
	for _, o := range []report.Override{audited, injected} {
		if err := st.AddOverride(ctx, sv.ID, o); err != nil {
			t.Fatal(err)
		}
	}
	d, err := reporting.Build(ctx, st, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Unaudited) != 1 || d.Unaudited[0].ResponseID != rs[1].ID {
		t.Fatalf("unaudited overrides %+v, want only %s", d.Unaudited, rs[1].ID)
	}
	if dec, ok := d.Quality.Decision(rs[1].ID); !ok || !dec.Excluded {
		t.Errorf("the unaudited override was not applied: %+v", dec)
	}
}

// split is a build's report (nil without one), the built data and the error.
func split(p *report.Published, err error) (*report.Report, *report.Published, error) {
	if p == nil {
		return nil, nil, err
	}
	return p.Report, p, err
}
