package casework_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/casework"
	"renke/demo"
	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

// surveyFixture is the application layer on a fresh test store, acting as
// the command line, with a survey of the demo county open since an hour ago.
type surveyFixture struct {
	st  *store.Store
	app *casework.Service
	op  casework.Actor
	sv  *survey.Survey
}

// newSurveyFixture opens a test store and creates the fixture's survey on it.
func newSurveyFixture(t *testing.T) *surveyFixture {
	t.Helper()
	account.HashCost = bcrypt.MinCost
	f := &surveyFixture{st: testenv.Store(t), op: casework.CLI()}
	f.app = casework.New(f.st, nil, nil)
	now := time.Now()
	sv, err := f.app.CreateSurvey(context.Background(), f.op,
		casework.NewSurvey{County: demo.CountyName, Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour)})
	if err != nil {
		t.Fatalf("create the fixture's survey: %v", err)
	}
	f.sv = sv
	return f
}

func TestErrorKinds(t *testing.T) {
	for _, c := range []struct {
		err  error
		kind casework.Kind
		msg  string
	}{
		{casework.Errorf(casework.Invalid, "坏的输入"), casework.Invalid, "坏的输入"},
		{errors.Join(errors.New("ctx"), survey.ErrUnavailable), casework.Unavailable, casework.MsgUnavailable},
		{survey.ErrNotFound, casework.NotFound, casework.MsgNotFound},
		{survey.ErrDuplicate, casework.Conflict, casework.MsgDuplicate},
		{errors.New("boom"), casework.Internal, casework.MsgInternal},
	} {
		e := casework.From(c.err)
		if e.Kind != c.kind || e.Msg != c.msg {
			t.Errorf("From(%v) = %s %q, want %s %q", c.err, e.Kind, e.Msg, c.kind, c.msg)
		}
	}
	if casework.From(nil) != nil {
		t.Error("From(nil) is not nil")
	}
}

func TestPhaseFollowsTheWindow(t *testing.T) {
	now := time.Date(2026, 5, 1, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
	sv := &survey.Survey{Status: survey.Open, Opens: now.Add(24 * time.Hour), Closes: now.Add(48 * time.Hour)}
	if p := sv.PhaseAt(now); p.Key != survey.PhaseScheduled || p.Label != "已开放，2026-05-02 10:00 开始作答" {
		t.Errorf("before the window: %+v", p)
	}
	if p := sv.PhaseAt(now.Add(25 * time.Hour)); p.Key != survey.PhaseCollecting || p.Label != "进行中" {
		t.Errorf("inside the window: %+v", p)
	}
	if p := sv.PhaseAt(now.Add(48 * time.Hour)); p.Key != survey.PhaseEnded || p.Label != "已结束" {
		t.Errorf("after the window: %+v", p)
	}
	if err := sv.CanOpenAt(now.Add(48 * time.Hour)); !errors.Is(err, survey.ErrWindowPassed) {
		t.Errorf("opening after the close: %v", err)
	}
}

// A redraw is refused once a response came through the plan's codes, even
// when the voiding is confirmed, and nothing is voided.
func TestRedrawRefusedAfterResponses(t *testing.T) {
	f := newSurveyFixture(t)
	ctx, st, app, op, sv := context.Background(), f.st, f.app, f.op, f.sv
	if _, err := app.SaveFrame(ctx, op, sv.ID, demo.Frame()); err != nil {
		t.Fatal(err)
	}
	seed := int64(3)
	if _, err := app.DrawPlan(ctx, op, sv.ID, casework.PlanInput{Seed: &seed}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.IssuePlanCodes(ctx, op, sv.ID); err != nil {
		t.Fatal(err)
	}
	codes, err := st.Codes(ctx, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	c := codes[0]
	q := sv.Forms[c.Group.Form()]
	r := &survey.Response{ID: "r-" + c.Code, SurveyID: sv.ID, Code: c.Code, CodeKind: c.Kind, Form: q.Kind, FormVersion: q.Version,
		Group: c.Group, School: c.School, Urbanicity: c.Urbanicity, Band: c.Band, DeviceID: "dev-1", Answers: map[string]string{}}
	if err := st.AppendResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	trail, _ := st.Audit(ctx, store.AuditFilter{Survey: sv.ID}, 0)
	_, err = app.DrawPlan(ctx, op, sv.ID, casework.PlanInput{Seed: &seed, VoidCodes: true})
	if e := casework.From(err); e == nil || e.Kind != casework.Conflict || !strings.Contains(e.Msg, "已有 1 份答卷") {
		t.Fatalf("redraw after a response: %v", err)
	}
	after, _ := st.Codes(ctx, sv.ID)
	for _, k := range after {
		if !k.Voided.IsZero() {
			t.Fatalf("code %s voided by a refused redraw", k.Code)
		}
	}
	if again, _ := st.Audit(ctx, store.AuditFilter{Survey: sv.ID}, 0); len(again) != len(trail) {
		t.Errorf("a refused redraw wrote %d audit entries", len(again)-len(trail))
	}
}
