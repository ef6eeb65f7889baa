package report

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"renke/survey"
)

// Rule names a data-quality rule (METHOD.md §5).
type Rule string

// The data-quality rules.
const (
	RuleSpeeder      Rule = "speeder"       // completion time too short
	RuleStraightLine Rule = "straightline"  // every item the same answer
	RuleRepeatDevice Rule = "repeat_device" // a device answering again
	RuleBurst        Rule = "burst"         // many responses from one address at once
)

// Rules lists the rules in report order.
var Rules = []Rule{RuleSpeeder, RuleStraightLine, RuleRepeatDevice, RuleBurst,
	RuleTemplate, RuleProxy, RuleUniform, RuleSequence}

var ruleLabels = map[Rule]string{
	RuleSpeeder: "答题过快", RuleStraightLine: "所有题目同一答案",
	RuleRepeatDevice: "同一设备重复作答", RuleBurst: "同一网络地址集中提交",
	RuleTemplate: "模板作答（雷同答卷）", RuleProxy: "代答（与本校教职工同址）",
	RuleUniform: "异常一致", RuleSequence: "一次性码连续使用",
}

// Label is the rule's Chinese name.
func (r Rule) Label() string { return ruleLabels[r] }

// SpeederRule flags a response completed faster than Floor and faster than
// MedianFraction of its group's median completion time.
type SpeederRule struct {
	Enabled        bool          `json:"enabled" yaml:"enabled"`
	Exclude        bool          `json:"exclude" yaml:"exclude"`
	Floor          time.Duration `json:"floor" yaml:"floor"`
	MedianFraction float64       `json:"median_fraction" yaml:"median_fraction"`
}

// StraightLineRule flags a response that gives one answer to every item, on
// a response of at least MinItems answers.
type StraightLineRule struct {
	Enabled  bool `json:"enabled" yaml:"enabled"`
	Exclude  bool `json:"exclude" yaml:"exclude"`
	MinItems int  `json:"min_items" yaml:"min_items"`
}

// RepeatDeviceRule flags every response of a device but its first in a survey.
type RepeatDeviceRule struct {
	Enabled bool `json:"enabled" yaml:"enabled"`
	Exclude bool `json:"exclude" yaml:"exclude"`
}

// BurstRule flags the responses from one hashed address when more than
// MaxPerWindow of them fall within Window of each other.
type BurstRule struct {
	Enabled      bool          `json:"enabled" yaml:"enabled"`
	Exclude      bool          `json:"exclude" yaml:"exclude"`
	MaxPerWindow int           `json:"max_per_window" yaml:"max_per_window"`
	Window       time.Duration `json:"window" yaml:"window"`
}

// QualityConfig configures the rules. The zero value runs none.
type QualityConfig struct {
	Speeder      SpeederRule      `json:"speeder" yaml:"speeder"`
	StraightLine StraightLineRule `json:"straightline" yaml:"straightline"`
	RepeatDevice RepeatDeviceRule `json:"repeat_device" yaml:"repeat_device"`
	Burst        BurstRule        `json:"burst" yaml:"burst"`
	// The stuffing rules, judged per school (stuffing_config.go).
	Template TemplateRule `json:"template" yaml:"template"`
	Proxy    ProxyRule    `json:"proxy" yaml:"proxy"`
	Uniform  UniformRule  `json:"uniform" yaml:"uniform"`
	Sequence SequenceRule `json:"code_sequence" yaml:"code_sequence"`
	// FDR is the false-discovery rate the stuffing rules are held to across
	// the county's schools (Benjamini–Hochberg).
	FDR float64 `json:"fdr" yaml:"fdr"`
}

// DefaultQualityConfig runs every rule: speeders (under 60 s and under a third
// of the group's median) and repeat devices are excluded; straight-lining (on
// ≥ 10 items) and bursts (more than 20 in 10 minutes) are flagged only; the
// four stuffing rules flag only, at a false-discovery rate of 5%.
func DefaultQualityConfig() QualityConfig {
	c := QualityConfig{
		Speeder:      SpeederRule{Enabled: true, Exclude: true, Floor: 60 * time.Second, MedianFraction: 1.0 / 3},
		StraightLine: StraightLineRule{Enabled: true, MinItems: 10},
		RepeatDevice: RepeatDeviceRule{Enabled: true, Exclude: true},
		Burst:        BurstRule{Enabled: true, MaxPerWindow: 20, Window: 10 * time.Minute},
	}
	defaultStuffing(&c)
	return c
}

// Validate checks the parameters of the enabled rules.
func (c QualityConfig) Validate() error {
	var p problems
	if c.Speeder.Enabled {
		p.require(c.Speeder.Floor > 0, "答题过快规则：时间下限 %v 应为正数", c.Speeder.Floor)
		p.require(c.Speeder.MedianFraction > 0 && c.Speeder.MedianFraction <= 1, "答题过快规则：中位数比例 %v 应在 (0, 1] 内", c.Speeder.MedianFraction)
	}
	if c.StraightLine.Enabled {
		p.require(c.StraightLine.MinItems >= 2, "同一答案规则：最少题数 %d 应至少为 2", c.StraightLine.MinItems)
	}
	if c.Burst.Enabled {
		p.require(c.Burst.MaxPerWindow >= 1, "集中提交规则：上限 %d 应至少为 1", c.Burst.MaxPerWindow)
		p.require(c.Burst.Window > 0, "集中提交规则：时间窗 %v 应为正数", c.Burst.Window)
	}
	c.validateStuffing(&p)
	return errors.Join(p...)
}

// problems collects what Validate finds wrong with a configuration.
type problems []error

// require adds the problem format describes unless ok holds.
func (p *problems) require(ok bool, format string, args ...any) {
	if !ok {
		*p = append(*p, fmt.Errorf(format, args...))
	}
}

// switches reports whether rule r runs and whether it excludes the responses it flags.
func (c QualityConfig) switches(r Rule) (enabled, exclude bool) {
	switch r {
	case RuleSpeeder:
		return c.Speeder.Enabled, c.Speeder.Exclude
	case RuleStraightLine:
		return c.StraightLine.Enabled, c.StraightLine.Exclude
	case RuleRepeatDevice:
		return c.RepeatDevice.Enabled, c.RepeatDevice.Exclude
	case RuleBurst:
		return c.Burst.Enabled, c.Burst.Exclude
	case RuleTemplate:
		return c.Template.Enabled, c.Template.Exclude
	case RuleProxy:
		return c.Proxy.Enabled, c.Proxy.Exclude
	case RuleUniform:
		return c.Uniform.Enabled, c.Uniform.Exclude
	case RuleSequence:
		return c.Sequence.Enabled, c.Sequence.Exclude
	}
	return false, false
}

// Excludes reports whether rule r excludes the responses it flags.
func (c QualityConfig) Excludes(r Rule) bool {
	_, exclude := c.switches(r)
	return exclude
}

// Decision is the quality verdict on one response. JSON: response_id,
// school, flags (rules that fired), rule_excluded (a fired rule excludes),
// excluded (final, after any override) and override (the one in force).
type Decision struct {
	ResponseID   string    `json:"response_id"`
	School       string    `json:"school,omitempty"`
	Flags        []Rule    `json:"flags"`
	RuleExcluded bool      `json:"rule_excluded"`
	Excluded     bool      `json:"excluded"`
	Override     *Override `json:"override,omitempty"`
}

// Quality holds the decisions on a survey's responses.
type Quality struct {
	Config    QualityConfig
	Decisions []Decision // in the order of the responses checked
	// Stuffing is the per-school evidence of the stuffing rules.
	Stuffing StuffingSummary
	index    map[string]int
}

// CheckQuality runs the rules over all responses of one survey. It reads the
// responses twice (group medians first), so it takes them as a slice.
func CheckQuality(rs []survey.Response, cfg QualityConfig) (*Quality, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("数据质量规则配置有误：%w", err)
	}
	q := &Quality{Config: cfg, Decisions: make([]Decision, len(rs)), index: make(map[string]int, len(rs))}
	for i := range rs {
		if _, dup := q.index[rs[i].ID]; dup {
			return nil, fmt.Errorf("应答 %s 出现了两次", rs[i].ID)
		}
		q.index[rs[i].ID] = i
		q.Decisions[i] = Decision{ResponseID: rs[i].ID, School: rs[i].School, Flags: []Rule{}}
	}
	flag := func(i int, r Rule) { q.Decisions[i].Flags = append(q.Decisions[i].Flags, r) }
	if cfg.Speeder.Enabled {
		for _, i := range speeders(rs, cfg.Speeder) {
			flag(i, RuleSpeeder)
		}
	}
	if cfg.StraightLine.Enabled {
		for i := range rs {
			if straightLined(rs[i].Answers, cfg.StraightLine.MinItems) {
				flag(i, RuleStraightLine)
			}
		}
	}
	if cfg.RepeatDevice.Enabled {
		for _, i := range repeatDevices(rs) {
			flag(i, RuleRepeatDevice)
		}
	}
	if cfg.Burst.Enabled {
		for _, i := range bursts(rs, cfg.Burst) {
			flag(i, RuleBurst)
		}
	}
	q.Stuffing = checkStuffing(rs, cfg)
	for _, f := range q.Stuffing.Findings {
		for _, id := range f.ResponseIDs {
			flag(q.index[id], f.Rule)
		}
	}
	for i := range q.Decisions {
		d := &q.Decisions[i]
		d.Flags = uniqueRules(d.Flags)
		sort.Slice(d.Flags, func(a, b int) bool { return ruleRank(d.Flags[a]) < ruleRank(d.Flags[b]) })
		for _, r := range d.Flags {
			if cfg.Excludes(r) {
				d.RuleExcluded = true
			}
		}
		d.Excluded = d.RuleExcluded
	}
	return q, nil
}

// ruleRank is the place of r in Rules, after them all when it is not there.
func ruleRank(r Rule) int {
	if i := slices.Index(Rules, r); i >= 0 {
		return i
	}
	return len(Rules)
}

// speeders returns the indexes of responses faster than the floor and than
// the fraction of their group's median. Responses without both times are
// neither judged nor counted in the median.
func speeders(rs []survey.Response, rule SpeederRule) []int {
	known := func(r *survey.Response) bool { return !r.StartedAt.IsZero() && !r.SubmittedAt.IsZero() }
	times := map[survey.Group][]time.Duration{}
	for i := range rs {
		if known(&rs[i]) {
			times[rs[i].Group] = append(times[rs[i].Group], rs[i].CompletionTime())
		}
	}
	median := map[survey.Group]float64{}
	for g, ts := range times {
		sort.Slice(ts, func(a, b int) bool { return ts[a] < ts[b] })
		m := len(ts) / 2
		if len(ts)%2 == 1 {
			median[g] = float64(ts[m])
		} else {
			median[g] = (float64(ts[m-1]) + float64(ts[m])) / 2
		}
	}
	var out []int
	for i := range rs {
		if !known(&rs[i]) {
			continue
		}
		ct := rs[i].CompletionTime()
		if ct < rule.Floor && float64(ct) < rule.MedianFraction*median[rs[i].Group] {
			out = append(out, i)
		}
	}
	return out
}

// straightLined reports whether every answer is the same, on at least min answers.
func straightLined(answers map[string]string, min int) bool {
	if len(answers) < min {
		return false
	}
	first := ""
	for _, a := range answers {
		if first == "" {
			first = a
		} else if a != first {
			return false
		}
	}
	return true
}

// byTime returns the indexes of rs in submission order (then seq, then id).
func byTime(rs []survey.Response, idx []int) {
	sort.Slice(idx, func(a, b int) bool {
		ra, rb := &rs[idx[a]], &rs[idx[b]]
		if !ra.SubmittedAt.Equal(rb.SubmittedAt) {
			return ra.SubmittedAt.Before(rb.SubmittedAt)
		}
		if ra.Seq != rb.Seq {
			return ra.Seq < rb.Seq
		}
		return ra.ID < rb.ID
	})
}

// repeatDevices returns every response of a device in a survey but the first.
func repeatDevices(rs []survey.Response) []int {
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	byTime(rs, idx)
	seen := map[[2]string]bool{}
	var out []int
	for _, i := range idx {
		if rs[i].DeviceID == "" {
			continue
		}
		k := [2]string{rs[i].SurveyID, rs[i].DeviceID}
		if seen[k] {
			out = append(out, i)
		}
		seen[k] = true
	}
	return out
}

// bursts returns the responses from one address hash that lie in a window
// shorter than rule.Window holding more than rule.MaxPerWindow of them.
func bursts(rs []survey.Response, rule BurstRule) []int {
	byAddr := map[[2]string][]int{}
	for i := range rs {
		if rs[i].AddrHash != "" {
			k := [2]string{rs[i].SurveyID, rs[i].AddrHash}
			byAddr[k] = append(byAddr[k], i)
		}
	}
	var out []int
	for _, idx := range byAddr {
		if len(idx) <= rule.MaxPerWindow {
			continue
		}
		byTime(rs, idx)
		// mark[k] > 0 after the prefix sum: idx[k] lies in a crowded window.
		mark := make([]int, len(idx)+1)
		lo := 0
		for hi := range idx {
			for rs[idx[hi]].SubmittedAt.Sub(rs[idx[lo]].SubmittedAt) >= rule.Window {
				lo++
			}
			if hi-lo+1 > rule.MaxPerWindow {
				mark[lo]++
				mark[hi+1]--
			}
		}
		run := 0
		for k, i := range idx {
			run += mark[k]
			if run > 0 {
				out = append(out, i)
			}
		}
	}
	sort.Ints(out)
	return out
}
