package render

import (
	"encoding/json"
	"fmt"

	"renke/account"
	"renke/survey"
)

// outOfPlanRow is one batch of codes issued outside the sampling plan, with
// the reason the issuer gave: the report's sample section lists them, from
// the survey's audit trail, so an evaluator sees every departure from the plan.
type outOfPlanRow struct {
	When, Actor, What, Reason string
}

// outOfPlan lists the audit trail's out-of-plan code issues, oldest first.
func outOfPlan(trail []account.Entry) []outOfPlanRow {
	var out []outOfPlanRow
	for _, e := range trail {
		if e.Action != account.ActCodesIssue || e.After == "" {
			continue
		}
		var a struct {
			Kind       survey.CodeKind `json:"kind"`
			Group      survey.Group    `json:"group"`
			Band       survey.Band     `json:"band"`
			School     string          `json:"school"`
			SchoolName string          `json:"school_name"`
			Quota      int             `json:"quota"`
			Count      int             `json:"count"`
			OutOfPlan  string          `json:"out_of_plan"`
		}
		if json.Unmarshal([]byte(e.After), &a) != nil || a.OutOfPlan == "" {
			continue
		}
		what := a.Group.Label()
		if a.Band != "" {
			what += "（" + a.Band.Label() + "）"
		}
		if s := firstNonEmpty(a.SchoolName, a.School); s != "" {
			what = s + " " + what
		}
		if a.Kind == survey.SharedCode {
			what += fmt.Sprintf("：共享码，配额 %d", a.Quota)
		} else {
			what += fmt.Sprintf("：一次性码 %d 个", a.Count)
		}
		out = append(out, outOfPlanRow{When: e.At.In(survey.Shanghai).Format("2006-01-02 15:04"), Actor: e.Actor, What: what, Reason: a.OutOfPlan})
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
