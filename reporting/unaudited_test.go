package reporting

import (
	"encoding/json"
	"testing"
	"time"

	"renke/account"
	"renke/report"
)

func TestUnauditedOverrides(t *testing.T) {
	now := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	entry := func(resp, by, reason string, excluded bool) account.Entry {
		after, _ := json.Marshal(map[string]any{"excluded": excluded, "reason": reason})
		return account.Entry{Action: account.ActExclusion, Target: resp, Actor: by, Note: reason, After: string(after)}
	}
	trail := []account.Entry{
		entry("r1", "eval1", "同一家长填写两次", true),
		entry("r2", "eval1", "复核后保留", false),
		entry("r2", "eval1", "复核后保留", false),
		{Action: account.ActSurveyOpen, Target: "r3"},
	}
	old := now.Add(-2 * time.Hour)
	overrides := []report.Override{
		{ResponseID: "r1", Exclude: true, Reason: "同一家长填写两次", By: "eval1", At: old},                    // recorded
		{ResponseID: "r2", Exclude: false, Reason: "复核后保留", By: "eval1", At: old},                      // recorded twice
		{ResponseID: "r2", Exclude: false, Reason: "复核后保留", By: "eval1", At: old},                      // …so this one too
		{ResponseID: "r2", Exclude: false, Reason: "复核后保留", By: "eval1", At: old},                      // a third: no entry left
		{ResponseID: "r1", Exclude: false, Reason: "同一家长填写两次", By: "eval1", At: old},                   // the other decision
		{ResponseID: "r1", Exclude: true, Reason: "同一家长填写两次", By: "eval2", At: old},                    // someone else
		{ResponseID: "r4", Exclude: true, Reason: "刚刚做出", By: "eval1", At: now.Add(-10 * time.Second)}, // entry on its way
		{ResponseID: "r5", Exclude: true, Reason: "日期在未来", By: "eval1", At: now.Add(time.Hour)},
		{ResponseID: "r3", Exclude: true, Reason: "x", By: "", At: old}, // only a non-exclusion entry names r3
	}
	got := unaudited(overrides, trail, now)
	var ids []string
	for _, o := range got {
		ids = append(ids, o.ResponseID+"/"+o.By)
	}
	want := []string{"r2/eval1", "r1/eval1", "r1/eval2", "r5/eval1", "r3/"}
	if len(ids) != len(want) {
		t.Fatalf("unaudited %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("unaudited %v, want %v", ids, want)
		}
	}
	if len(unaudited(nil, trail, now)) != 0 || len(unaudited(overrides[:3], trail, now)) != 0 {
		t.Error("recorded overrides were reported")
	}
}
