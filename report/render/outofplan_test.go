package render

import (
	"strings"
	"testing"
	"time"

	"renke/account"
)

func TestOutOfPlanFromTheTrail(t *testing.T) {
	at := time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC)
	entry := func(act account.Action, after any) account.Entry {
		e, err := account.NewEntry(&account.User{Name: "wang"}, act, nil, after, at)
		if err != nil {
			t.Fatal(err)
		}
		return *e
	}
	trail := []account.Entry{
		entry(account.ActCodesIssue, map[string]any{"kind": "shared", "group": "parent", "quota": 30, "school": "S001", "school_name": "第一小学"}),
		entry(account.ActCodesIssue, map[string]any{"kind": "onetime", "group": "deputy", "count": 40, "out_of_plan": "人大常委会要求全体代表参加"}),
		entry(account.ActSurveyOpen, map[string]any{"out_of_plan": "not an issue"}),
		entry(account.ActCodesIssue, map[string]any{"kind": "shared", "group": "student", "band": "g5-6", "quota": 12, "school": "9999999999", "out_of_plan": "新建校区"}),
	}
	got := outOfPlan(trail)
	if len(got) != 2 {
		t.Fatalf("rows %+v, want the two out-of-plan issues", got)
	}
	if got[0].Reason != "人大常委会要求全体代表参加" || got[0].Actor != "wang" || got[0].When != "2026-03-02 09:30" ||
		got[0].What != "人大代表：一次性码 40 个" {
		t.Errorf("first row %+v", got[0])
	}
	if !strings.HasPrefix(got[1].What, "9999999999 学生（") || !strings.HasSuffix(got[1].What, "）：共享码，配额 12") || got[1].Reason != "新建校区" {
		t.Errorf("second row %+v", got[1])
	}
}
