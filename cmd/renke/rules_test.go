package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"renke/account"
	"renke/casework"
	"renke/report"
	"renke/store"
)

// TestRulesAndOverrideCommands: renke rules show lists every setting with its
// label; renke override add records an audited decision as the operator,
// refuses a response not in the survey, and override list shows it.
func TestRulesAndOverrideCommands(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	e := openData(t, data)
	sv := seedSurvey(t, e.store, "北川县", 3, nil)
	e.close()
	run := func(f func(context.Context, []string) error, args ...string) (string, error) {
		var out bytes.Buffer
		stdout = &out
		defer func() { stdout = os.Stdout }()
		err := f(ctx, append(args, "--data", data))
		return out.String(), err
	}
	out, err := run(rulesShow, sv.ID)
	if err != nil || !strings.Contains(out, "burst_max_per_window=20") || !strings.Contains(out, report.SettingLabel("burst_max_per_window")) ||
		strings.Count(out, "\n") != len(report.SettingFields()) {
		t.Fatalf("rules show: %v\n%s", err, out)
	}
	if _, err := run(rulesSet, sv.ID, "burst_max_per_window"); err == nil || !strings.Contains(message(err), "键=值") {
		t.Errorf("a setting without a value: %v", err)
	}
	if _, err := run(overrideAdd, sv.ID, "--response", "nope", "--decision", "exclude", "--reason", "重复作答"); err == nil ||
		!strings.Contains(message(err), "本调查没有编号为“nope”的应答") {
		t.Errorf("an override of a response not in the survey: %v", err)
	}
	if _, err := run(overrideAdd, sv.ID, "--response", sv.ID+"-r0001", "--decision", "maybe", "--reason", "重复作答"); err == nil {
		t.Error("an override with no decision was accepted")
	}
	if _, err := run(overrideAdd, sv.ID, "--response", sv.ID+"-r0001", "--decision", "exclude", "--reason", "重复作答"); err != nil {
		t.Fatalf("override add: %v", err)
	}
	out, err = run(overrideList, sv.ID, "--format", "json")
	var list []report.Override
	if err != nil || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0].ResponseID != sv.ID+"-r0001" ||
		!list[0].Exclude || list[0].By != casework.CLI().Name() {
		t.Fatalf("override list: %v %s", err, out)
	}
	e = openData(t, data)
	defer e.close()
	entries, err := e.store.Audit(ctx, store.AuditFilter{Survey: sv.ID}, 1)
	if err != nil || len(entries) != 1 || entries[0].Action != account.ActExclusion || entries[0].Actor != casework.CLI().Name() {
		t.Fatalf("the override's audit entry: %+v %v", entries, err)
	}
}
