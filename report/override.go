package report

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Override is an evaluator's recorded decision to exclude a response or to
// reinstate one the rules excluded. Overrides are stored beside the raw
// responses (never by editing them); the latest for a response wins.
type Override struct {
	ResponseID string    `json:"response_id" bson:"response_id"`
	Exclude    bool      `json:"exclude" bson:"exclude"`
	Reason     string    `json:"reason" bson:"reason"`
	By         string    `json:"by" bson:"by"`
	At         time.Time `json:"at" bson:"at"`
}

// Validate checks that the override names a response, a reason and who made it.
func (o Override) Validate() error {
	var errs []string
	if strings.TrimSpace(o.ResponseID) == "" {
		errs = append(errs, "未指定应答编号")
	}
	if strings.TrimSpace(o.Reason) == "" {
		errs = append(errs, "未填写理由")
	}
	if strings.TrimSpace(o.By) == "" {
		errs = append(errs, "未填写操作人")
	}
	if o.At.IsZero() {
		errs = append(errs, "未记录时间")
	}
	if len(errs) > 0 {
		return fmt.Errorf("人工裁定（应答 %s）无效：%s", o.ResponseID, strings.Join(errs, "，"))
	}
	return nil
}

// Apply puts the overrides on top of the rules' decisions: for each response
// the override with the latest At (the later in the slice on a tie) sets
// Excluded. Responses without an override return to the rules' decision, so
// Apply can be called again with the full, updated list.
func (q *Quality) Apply(overrides []Override) error {
	var errs []error
	latest := map[string]int{}
	for k, o := range overrides {
		if err := o.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, ok := q.index[o.ResponseID]; !ok {
			errs = append(errs, fmt.Errorf("人工裁定指向不存在的应答 %s", o.ResponseID))
			continue
		}
		if j, ok := latest[o.ResponseID]; !ok || !o.At.Before(overrides[j].At) {
			latest[o.ResponseID] = k
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for i := range q.Decisions {
		d := &q.Decisions[i]
		d.Override, d.Excluded = nil, d.RuleExcluded
		if k, ok := latest[d.ResponseID]; ok {
			o := overrides[k]
			d.Override, d.Excluded = &o, o.Exclude
		}
	}
	return nil
}

// Decision returns the decision on one response.
func (q *Quality) Decision(responseID string) (Decision, bool) {
	i, ok := q.index[responseID]
	if !ok {
		return Decision{}, false
	}
	return q.Decisions[i], true
}

// RuleCount is one rule's tally. JSON: rule, label, excludes (the rule
// excludes by configuration), flagged, excluded (flagged and finally excluded).
type RuleCount struct {
	Rule     Rule   `json:"rule"`
	Label    string `json:"label"`
	Excludes bool   `json:"excludes"`
	Flagged  int    `json:"flagged"`
	Excluded int    `json:"excluded"`
}

// SchoolQuality is one school's tally ("" for respondents not reached
// through a school). JSON: school, responses, flagged, excluded, by_rule
// (rule → responses flagged).
type SchoolQuality struct {
	School    string       `json:"school"`
	Responses int          `json:"responses"`
	Flagged   int          `json:"flagged"`
	Excluded  int          `json:"excluded"`
	ByRule    map[Rule]int `json:"by_rule"`
}

// OverrideCount tallies the evaluator's overrides in force. JSON: applied,
// excluded (excluded against the rules), reinstated (kept against the rules),
// confirmed (agreeing with the rules).
type OverrideCount struct {
	Applied    int `json:"applied"`
	Excluded   int `json:"excluded"`
	Reinstated int `json:"reinstated"`
	Confirmed  int `json:"confirmed"`
}

// QualitySummary is the quality section of the report. JSON: config,
// responses, flagged (any rule), excluded (final), by_rule, by_school, overrides.
type QualitySummary struct {
	Config    QualityConfig   `json:"config"`
	Responses int             `json:"responses"`
	Flagged   int             `json:"flagged"`
	Excluded  int             `json:"excluded"`
	ByRule    []RuleCount     `json:"by_rule"`
	BySchool  []SchoolQuality `json:"by_school"`
	Overrides OverrideCount   `json:"overrides"`
	// Stuffing is the per-school evidence of the stuffing rules (nil when
	// none ran).
	Stuffing *StuffingSummary `json:"stuffing,omitempty"`
}

// Summary counts the decisions by rule and by school.
func (q *Quality) Summary() QualitySummary {
	s := QualitySummary{Config: q.Config, Responses: len(q.Decisions)}
	rc := map[Rule]*RuleCount{}
	for _, r := range Rules {
		s.ByRule = append(s.ByRule, RuleCount{Rule: r, Label: r.Label(), Excludes: q.Config.Excludes(r)})
	}
	for i := range s.ByRule {
		rc[s.ByRule[i].Rule] = &s.ByRule[i]
	}
	schools := map[string]*SchoolQuality{}
	for _, d := range q.Decisions {
		sq := schools[d.School]
		if sq == nil {
			sq = &SchoolQuality{School: d.School, ByRule: map[Rule]int{}}
			schools[d.School] = sq
		}
		sq.Responses++
		if len(d.Flags) > 0 {
			s.Flagged++
			sq.Flagged++
		}
		if d.Excluded {
			s.Excluded++
			sq.Excluded++
		}
		for _, r := range d.Flags {
			rc[r].Flagged++
			sq.ByRule[r]++
			if d.Excluded {
				rc[r].Excluded++
			}
		}
		if d.Override != nil {
			s.Overrides.Applied++
			switch {
			case d.Override.Exclude == d.RuleExcluded:
				s.Overrides.Confirmed++
			case d.Override.Exclude:
				s.Overrides.Excluded++
			default:
				s.Overrides.Reinstated++
			}
		}
	}
	for _, k := range sortedKeys(schools) {
		s.BySchool = append(s.BySchool, *schools[k])
	}
	s.Stuffing = q.stuffingCopy()
	return s
}
