package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/account"
	"renke/report"
	"renke/reporting"
	"renke/survey"
)

// TestSettingsUnderTheChain: each setting deciding the number, changed
// through renke, is recorded in the audit chain by its hash; changed in the
// store behind renke's back, it is named by verify and warned of in the
// report (JSON and HTML) before the numbers.
func TestSettingsUnderTheChain(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	e := openData(t, data)
	defer func() { e.close() }()
	sv := seedSurvey(t, e.store, "北川县", 40, nil)
	now := time.Now()
	audit := func(act account.Action) {
		t.Helper()
		entry, err := account.NewEntry(nil, act, nil, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		entry.Actor, entry.Survey = "test", sv.ID
		if err := e.store.AppendAudit(ctx, entry); err != nil {
			t.Fatal(err)
		}
		if len(entry.Settings) == 0 {
			t.Fatalf("%s: no setting hash stamped", act)
		}
	}
	audit(account.ActSurveyCreate)
	if err := e.store.SetQualityRules(ctx, sv.ID, report.DefaultQualityConfig(), "test", now); err != nil {
		t.Fatal(err)
	}
	audit(account.ActQualityRules)
	codes, err := survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, Count: 2, Quota: 50,
		School: survey.School{Code: "S01", Name: "一中", Township: "T0", Urbanicity: survey.Urbanicities[0]}}.Issue(sv.ID, now)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.InsertCodes(ctx, codes); err != nil {
		t.Fatal(err)
	}
	audit(account.ActCodesIssue)
	if err := e.store.AddOverride(ctx, sv.ID, report.Override{ResponseID: sv.ID + "-r0003", Exclude: true, Reason: "复核", By: "test", At: now}); err != nil {
		t.Fatal(err)
	}
	audit(account.ActExclusion)

	rep, _, err := split(reporting.Build(ctx, e.store, sv.ID))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range rep.Verification.Settings {
		recorded := c.Setting != "frame" && c.Setting != "plan"
		if c.Changed || (c.Recorded != "") != recorded {
			t.Fatalf("untouched settings: %+v", rep.Verification.Settings)
		}
	}
	e.close()
	if err := runVerify(ctx, []string{"--data", data, "--survey", sv.ID}); err != nil {
		t.Fatalf("untouched: %v", err)
	}

	edits := []struct {
		setting, col string
		filter, set  bson.M
	}{
		{"scheme", "surveys", bson.M{"_id": sv.ID}, bson.M{"scheme." + survey.OptNotRecognise: 1.0}},
		{"group_weights", "surveys", bson.M{"_id": sv.ID}, bson.M{"group_weights." + string(survey.Parent): 0.9}},
		{"quality_rules", "quality_rules", bson.M{"_id": sv.ID}, bson.M{"rules.speeder.enabled": false}},
		{"code_quotas", "codes", bson.M{"_id": codes[0].Code}, bson.M{"quota": 5000}},
		{"overrides", "overrides", bson.M{"survey_id": sv.ID}, bson.M{"exclude": false}},
	}
	for _, ed := range edits {
		e = openData(t, data)
		if res, err := e.store.Collection(ed.col).UpdateOne(ctx, ed.filter, bson.M{"$set": ed.set}); err != nil || res.ModifiedCount != 1 {
			t.Fatalf("tamper with %s: %v %+v", ed.setting, err, res)
		}
		rep, d, err := split(reporting.Build(ctx, e.store, sv.ID))
		if err != nil {
			t.Fatal(err)
		}
		changed := false
		for _, c := range rep.Verification.Settings {
			changed = changed || (c.Setting == ed.setting && c.Changed)
		}
		var html bytes.Buffer
		if err := writeFormat("html", &html, d); err != nil {
			t.Fatal(err)
		}
		if !changed || !strings.Contains(html.String(), "被直接改动过") {
			t.Errorf("%s edited in the store: not flagged in the report", ed.setting)
		}
		e.close()
		expectBreak(t, ed.setting, []string{"--data", data, "--survey", sv.ID}, ed.setting+" changed behind renke's back")
		expectBreak(t, ed.setting, []string{"--data", data, "--all"}, "1 of 2 chains do not verify")
	}
	e = openData(t, data)
}
