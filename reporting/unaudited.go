package reporting

import (
	"encoding/json"
	"time"

	"renke/account"
	"renke/report"
)

// pendingAudit is how long an override may wait for its audit entry: renke
// stores the decision and then appends the entry, so a report built in
// between sees the one without the other.
const pendingAudit = time.Minute

// unaudited returns the evaluators' overrides that no exclusion entry of the
// survey's audit trail records (same response, evaluator, decision and
// reason): decisions written into the store other than through renke, or
// whose entry could not be written. One made less than pendingAudit ago is
// not counted yet; one dated in the future is.
func unaudited(overrides []report.Override, trail []account.Entry, now time.Time) []report.Override {
	type key struct {
		response, by, reason string
		exclude              bool
	}
	recorded := map[key]int{}
	for _, e := range trail {
		if e.Action != account.ActExclusion {
			continue
		}
		var after struct {
			Excluded bool   `json:"excluded"`
			Reason   string `json:"reason"`
		}
		if json.Unmarshal([]byte(e.After), &after) != nil {
			continue
		}
		recorded[key{e.Target, e.Actor, after.Reason, after.Excluded}]++
	}
	var out []report.Override
	for _, o := range overrides {
		k := key{o.ResponseID, o.By, o.Reason, o.Exclude}
		if recorded[k] > 0 {
			recorded[k]--
			continue
		}
		if age := now.Sub(o.At); age >= 0 && age < pendingAudit {
			continue
		}
		out = append(out, o)
	}
	return out
}
