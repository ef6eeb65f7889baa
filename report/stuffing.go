package report

import (
	"hash/fnv"
	"sort"

	"renke/survey"
)

// Finding is one school's (or one school × group's) evidence of a stuffing
// pattern that survived the false-discovery control: evidence for an
// evaluator to judge, not a verdict. JSON: rule, label, school, group ("" when
// the test covers the whole school), responses (in the unit tested), count
// (responses showing the pattern), observed and expected (Chinese: what was
// seen, what independent answering gives), p (the probability of data this
// unusual under independent answering), q (Benjamini–Hochberg adjusted),
// seed (of the simulation, 0 when computed exactly), response_ids and effect.
type Finding struct {
	Rule        Rule         `json:"rule"`
	Label       string       `json:"label"`
	School      string       `json:"school"`
	Group       survey.Group `json:"group,omitempty"`
	Responses   int          `json:"responses"`
	Count       int          `json:"count"`
	Observed    string       `json:"observed"`
	Expected    string       `json:"expected"`
	P           float64      `json:"p"`
	Q           float64      `json:"q"`
	Seed        uint64       `json:"seed,omitempty"`
	ResponseIDs []string     `json:"response_ids"`
	Effect      *Effect      `json:"effect,omitempty"`
}

// RateCI is a rate with its confidence interval. JSON: rate, ci_low, ci_high, n.
type RateCI struct {
	Rate   float64 `json:"rate"`
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	N      int     `json:"n"`
}

// Effect is the county's overall rate as reported and with the finding's
// responses left out (or, when its rule excludes them, put back). JSON:
// reported, without (flagged responses left out), with (flagged responses counted).
type Effect struct {
	Reported RateCI `json:"reported"`
	Without  RateCI `json:"without"`
	With     RateCI `json:"with"`
}

// StuffingSummary is the stuffing rules' result. JSON: fdr, tests (hypotheses
// tested across schools, groups and rules, the m of Benjamini–Hochberg),
// tests_by_rule, findings (the discoveries, most unusual first).
type StuffingSummary struct {
	FDR         float64      `json:"fdr"`
	Tests       int          `json:"tests"`
	TestsByRule map[Rule]int `json:"tests_by_rule"`
	Findings    []Finding    `json:"findings"`
}

// unit is the responses (indexes into rs) of one school × group, or of one
// school when group is "".
type unit struct {
	school string
	group  survey.Group
	idx    []int
}

// checkStuffing runs the enabled stuffing rules and keeps the findings whose
// Benjamini–Hochberg adjusted p-value is at most cfg.FDR.
func checkStuffing(rs []survey.Response, cfg QualityConfig) StuffingSummary {
	s := StuffingSummary{FDR: cfg.FDR, TestsByRule: map[Rule]int{}, Findings: []Finding{}}
	if !cfg.stuffingOn() {
		return s
	}
	groups, schools := groupUnits(rs), schoolUnits(rs)
	var all []Finding
	add := func(r Rule, cs []Finding) {
		s.TestsByRule[r] = len(cs)
		all = append(all, cs...)
	}
	if cfg.Template.Enabled {
		add(RuleTemplate, templateTests(rs, groups, cfg.Template))
	}
	if cfg.Proxy.Enabled {
		add(RuleProxy, proxyTests(rs, schools, cfg.Proxy))
	}
	if cfg.Uniform.Enabled {
		cluster := cfg.Template.MinCluster
		if !cfg.Template.Enabled {
			cluster = len(rs) + 1 // no sheet is the template rule's
		}
		add(RuleUniform, uniformTests(rs, groups, cfg.Uniform, cluster))
	}
	if cfg.Sequence.Enabled {
		add(RuleSequence, sequenceTests(rs, groups, cfg.Sequence))
	}
	s.Tests = len(all)
	ps := make([]float64, len(all))
	for i := range all {
		ps[i] = all[i].P
	}
	qs := benjaminiHochberg(ps)
	for i := range all {
		if qs[i] <= cfg.FDR && len(all[i].ResponseIDs) > 0 {
			f := all[i]
			f.Q, f.Label = qs[i], f.Rule.Label()
			s.Findings = append(s.Findings, f)
		}
	}
	sort.SliceStable(s.Findings, func(a, b int) bool {
		fa, fb := &s.Findings[a], &s.Findings[b]
		if fa.P != fb.P {
			return fa.P < fb.P
		}
		if fa.School != fb.School {
			return fa.School < fb.School
		}
		return ruleRank(fa.Rule) < ruleRank(fb.Rule)
	})
	return s
}

// benjaminiHochberg returns the adjusted p-values (q-values) of ps: a
// hypothesis is a discovery at rate α when its q ≤ α.
func benjaminiHochberg(ps []float64) []float64 {
	m := len(ps)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ps[order[a]] < ps[order[b]] })
	q := make([]float64, m)
	run := 1.0
	for k := m - 1; k >= 0; k-- {
		i := order[k]
		run = min(run, ps[i]*float64(m)/float64(k+1))
		q[i] = run
	}
	return q
}

// groupUnits splits the responses by school × group, in a stable order.
func groupUnits(rs []survey.Response) []unit {
	m := map[[2]string]*unit{}
	var keys [][2]string
	for i := range rs {
		k := [2]string{rs[i].School, string(rs[i].Group)}
		if m[k] == nil {
			m[k] = &unit{school: rs[i].School, group: rs[i].Group}
			keys = append(keys, k)
		}
		m[k].idx = append(m[k].idx, i)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a][0] != keys[b][0] {
			return keys[a][0] < keys[b][0]
		}
		return keys[a][1] < keys[b][1]
	})
	out := make([]unit, len(keys))
	for i, k := range keys {
		out[i] = *m[k]
	}
	return out
}

// schoolUnits splits the responses by school, in a stable order.
func schoolUnits(rs []survey.Response) []unit {
	m := map[string]*unit{}
	var keys []string
	for i := range rs {
		k := rs[i].School
		if m[k] == nil {
			m[k] = &unit{school: k}
			keys = append(keys, k)
		}
		m[k].idx = append(m[k].idx, i)
	}
	sort.Strings(keys)
	out := make([]unit, len(keys))
	for i, k := range keys {
		out[i] = *m[k]
	}
	return out
}

// ids are the response ids at idx.
func ids(rs []survey.Response, idx []int) []string {
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = rs[i].ID
	}
	sort.Strings(out)
	return out
}

// unitSeed is the recorded seed of a unit's simulation: fixed by the survey,
// school, group and rule, so a report can be recomputed exactly.
func unitSeed(rs []survey.Response, u unit, r Rule) uint64 {
	h := fnv.New64a()
	sid := ""
	if len(u.idx) > 0 {
		sid = rs[u.idx[0]].SurveyID
	}
	h.Write([]byte(sid + "|" + u.school + "|" + string(u.group) + "|" + string(r)))
	return h.Sum64()
}

// uniqueRules drops repeated rules (a response can show a pattern in two tests).
func uniqueRules(rs []Rule) []Rule {
	seen := map[Rule]bool{}
	out := rs[:0]
	for _, r := range rs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// stuffingCopy is a copy of the stuffing summary for a report (whose
// findings get their effects), nil when no stuffing rule ran.
func (q *Quality) stuffingCopy() *StuffingSummary {
	if !q.Config.stuffingOn() {
		return nil
	}
	s := q.Stuffing
	s.Findings = append([]Finding(nil), s.Findings...)
	return &s
}
