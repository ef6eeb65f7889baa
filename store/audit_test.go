package store_test

import (
	"context"
	"testing"
	"time"

	"renke/account"
	"renke/internal/testenv"
	"renke/store"
)

func TestAuditAppendAndFilter(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	actor := &account.User{ID: "u1", Name: "wang", Role: account.Coordinator}
	base := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	type spec struct {
		county, survey string
		act            account.Action
	}
	specs := []spec{
		{"渝中区", "s1", account.ActSurveyCreate},
		{"渝中区", "s1", account.ActSurveyOpen},
		{"江北区", "s2", account.ActSurveyCreate},
		{"", "", account.ActUserCreate},
		{"渝中区", "s1", account.ActCodesIssue},
	}
	for i, sp := range specs {
		e, err := account.NewEntry(actor, sp.act, map[string]int{"i": i}, map[string]int{"i": i + 1}, base.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		e.County, e.Survey = sp.county, sp.survey
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Audit(ctx, store.AuditFilter{}, 0)
	if err != nil || len(all) != len(specs) {
		t.Fatalf("all: %d entries, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) {
			t.Fatal("entries must be newest first")
		}
	}
	if all[0].Action != account.ActCodesIssue || all[0].Before != `{"i":4}` || all[0].After != `{"i":5}` {
		t.Errorf("newest entry %+v", all[0])
	}
	s1, _ := s.Audit(ctx, store.AuditFilter{Survey: "s1"}, 0)
	if len(s1) != 3 {
		t.Errorf("survey s1: %d entries, want 3", len(s1))
	}
	limited, _ := s.Audit(ctx, store.AuditFilter{Survey: "s1"}, 2)
	if len(limited) != 2 || limited[0].Action != account.ActCodesIssue {
		t.Errorf("limit 2: %+v", limited)
	}
	older, _ := s.Audit(ctx, store.AuditFilter{Survey: "s1", Before: limited[1].At}, 10)
	if len(older) != 1 || older[0].Action != account.ActSurveyCreate {
		t.Errorf("page before %v: %+v", limited[1].At, older)
	}
	scoped, _ := s.Audit(ctx, store.AuditFilter{Counties: []string{"江北区"}}, 0)
	if len(scoped) != 1 || scoped[0].Survey != "s2" {
		t.Errorf("counties [江北区]: %+v", scoped)
	}
	foreign, _ := s.Audit(ctx, store.AuditFilter{County: "渝中区", Counties: []string{"江北区"}}, 0)
	if len(foreign) != 0 {
		t.Errorf("a county outside Counties must give nothing, got %d", len(foreign))
	}
	byActor, _ := s.Audit(ctx, store.AuditFilter{Actor: "nobody"}, 0)
	if len(byActor) != 0 {
		t.Errorf("actor nobody: %d", len(byActor))
	}
}
