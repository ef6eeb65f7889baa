package casework_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/casework"
	"renke/demo"
	"renke/report"
	"renke/store"
	"renke/survey"
)

// rulesFixture is a survey of the demo county with two responses, and an
// evaluator and a coordinator of the county.
type rulesFixture struct {
	*surveyFixture
	eval, coord casework.Actor
	responses   []string
	changed     []string
}

func newRulesFixture(t *testing.T) *rulesFixture {
	ctx := context.Background()
	f := &rulesFixture{surveyFixture: newSurveyFixture(t)}
	f.app.OnChange(func(ch casework.Change) {
		if ch.Kind == casework.QualityChanged {
			f.changed = append(f.changed, ch.SurveyID)
		}
	})
	sv, op, now := f.sv, f.op, time.Now()
	if _, err := f.app.RegisterCounty(ctx, op, demo.CountyName, demo.CountyCode); err != nil {
		t.Fatal(err)
	}
	for _, role := range []account.Role{account.Evaluator, account.Coordinator} {
		u, _, err := f.app.CreateUser(ctx, op, casework.NewUser{Name: string(role) + "1", Role: role, Counties: []string{demo.CountyName}})
		if err != nil {
			t.Fatal(err)
		}
		if role == account.Evaluator {
			f.eval = casework.Actor{User: u}
		} else {
			f.coord = casework.Actor{User: u}
		}
	}
	q := sv.Forms[survey.Parent.Form()]
	for i := range 2 {
		r := &survey.Response{ID: "resp-" + string(rune('a'+i)), SurveyID: sv.ID, Code: "code-" + string(rune('a'+i)), CodeKind: survey.OneTimeCode, Form: q.Kind,
			FormVersion: q.Version, Group: survey.Parent, School: "s1", DeviceID: "dev-" + string(rune('a'+i)), Answers: map[string]string{},
			StartedAt: now.Add(-10 * time.Minute), SubmittedAt: now}
		if err := f.st.AppendResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
		f.responses = append(f.responses, r.ID)
	}
	return f
}

func (f *rulesFixture) trail(t *testing.T) []account.Entry {
	t.Helper()
	list, err := f.st.Audit(context.Background(), store.AuditFilter{Survey: f.sv.ID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestQualityRulesSetAndEdit(t *testing.T) {
	f := newRulesFixture(t)
	ctx := context.Background()
	def := report.SettingsOf(report.DefaultQualityConfig())
	got, err := f.app.QualityRules(ctx, f.eval, f.sv.ID)
	if err != nil || got != def {
		t.Fatalf("rules before any change: %+v, %v", got, err)
	}

	// A coordinator may read the survey but not set its rules; nothing is written.
	n := len(f.trail(t))
	in := def
	in.StraightLineExclude = true
	if _, err := f.app.SetQualityRules(ctx, f.coord, f.sv.ID, in); casework.From(err).Kind != casework.Forbidden {
		t.Fatalf("a coordinator set the rules: %v", err)
	}
	// Out of bounds: refused as Invalid naming every figure, nothing stored or audited.
	bad := def
	bad.SpeederFloorSeconds, bad.BurstMaxPerWindow = 365*24*3600, -1
	_, err = f.app.SetQualityRules(ctx, f.eval, f.sv.ID, bad)
	if e := casework.From(err); e.Kind != casework.Invalid || !strings.Contains(e.Msg, "答题过快的时间下限应在 0 到 86400 秒之间") ||
		!strings.Contains(e.Msg, "集中提交的份数上限应在 0 到 100000 之间") {
		t.Fatalf("out-of-bounds rules: %v", err)
	}
	if len(f.trail(t)) != n || len(f.changed) != 0 {
		t.Fatalf("refused changes wrote %d audit entries, told %d listeners", len(f.trail(t))-n, len(f.changed))
	}

	// Accepted: stored, audited with before and after, listeners told.
	after, err := f.app.SetQualityRules(ctx, f.eval, f.sv.ID, in)
	if err != nil || !after.StraightLineExclude {
		t.Fatalf("set rules: %+v, %v", after, err)
	}
	stored, _ := f.st.QualityRules(ctx, f.sv.ID)
	if !stored.StraightLine.Exclude {
		t.Fatalf("stored rules %+v", stored)
	}
	e := f.trail(t)[0]
	var b, a report.RuleSettings
	if e.Action != account.ActQualityRules || e.Actor != "evaluator1" || json.Unmarshal([]byte(e.Before), &b) != nil ||
		json.Unmarshal([]byte(e.After), &a) != nil || b != def || a != in {
		t.Fatalf("audit entry %+v", e)
	}
	if len(f.changed) != 1 || f.changed[0] != f.sv.ID {
		t.Errorf("listeners told %v", f.changed)
	}

	// An edit changes only what it sets; its own error comes back as it is.
	edited, err := f.app.EditQualityRules(ctx, f.eval, f.sv.ID, func(r *report.RuleSettings) error { return r.Set("burst_max_per_window", "7") })
	if err != nil || edited.BurstMaxPerWindow != 7 || !edited.StraightLineExclude {
		t.Fatalf("edit: %+v, %v", edited, err)
	}
	_, err = f.app.EditQualityRules(ctx, f.eval, f.sv.ID, func(r *report.RuleSettings) error { return r.Set("fdr", "很小") })
	if err == nil || err.Error() != "错误发现率应为数字" {
		t.Fatalf("an edit's own error: %v", err)
	}
	if err := new(report.RuleSettings).Set("no_such_rule", "1"); err == nil || !strings.Contains(err.Error(), "no_such_rule") {
		t.Errorf("an unknown key: %v", err)
	}
}

func TestOverridesAudited(t *testing.T) {
	f := newRulesFixture(t)
	ctx := context.Background()
	n := len(f.trail(t))
	for _, c := range []struct {
		who  casework.Actor
		in   casework.OverrideInput
		kind casework.Kind
		msg  string
	}{
		{f.coord, casework.OverrideInput{ResponseID: f.responses[0], Exclude: true, Reason: "重复"}, casework.Forbidden, casework.MsgForbidden},
		{f.eval, casework.OverrideInput{ResponseID: "nope", Exclude: true, Reason: "重复"}, casework.Invalid, "本调查没有编号为“nope”的应答"},
		{f.eval, casework.OverrideInput{ResponseID: f.responses[0], Exclude: true, Reason: "  "}, casework.Invalid, "未填写理由"},
	} {
		_, err := f.app.AddOverride(ctx, c.who, f.sv.ID, c.in)
		if e := casework.From(err); e == nil || e.Kind != c.kind || !strings.Contains(e.Msg, c.msg) {
			t.Errorf("%+v: %v, want %s %q", c.in, err, c.kind, c.msg)
		}
	}
	if len(f.trail(t)) != n {
		t.Fatalf("refused overrides wrote %d audit entries", len(f.trail(t))-n)
	}
	o, err := f.app.AddOverride(ctx, f.eval, f.sv.ID, casework.OverrideInput{ResponseID: " " + f.responses[1] + " ", Exclude: true, Reason: " 家长代答 "})
	if err != nil || o.ResponseID != f.responses[1] || o.Reason != "家长代答" || o.By != "evaluator1" {
		t.Fatalf("override: %+v, %v", o, err)
	}
	e := f.trail(t)[0]
	if e.Action != account.ActExclusion || e.Actor != "evaluator1" || e.Target != f.responses[1] || e.Note != "家长代答" ||
		!strings.Contains(e.Before, `"excluded":false`) || e.After != `{"excluded":true,"reason":"家长代答"}` {
		t.Fatalf("audit entry %+v", e)
	}
	list, err := f.app.Overrides(ctx, f.coord, f.sv.ID)
	if casework.From(err).Kind != casework.Forbidden {
		t.Errorf("a coordinator listed the overrides: %v %v", list, err)
	}
	list, err = f.app.Overrides(ctx, f.eval, f.sv.ID)
	if err != nil || len(list) != 1 || list[0].ResponseID != f.responses[1] || !list[0].Exclude {
		t.Fatalf("overrides %+v, %v", list, err)
	}
	if len(f.changed) != 1 {
		t.Errorf("listeners told %v", f.changed)
	}
}
