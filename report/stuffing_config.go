package report

import (
	"slices"
	"time"
)

// The stuffing rules: patterns of coached, templated and proxy answering that
// pass the four per-response rules. Each is judged per school (and group
// within it) by how unusual the school's data would be had its respondents
// answered independently, with the false discoveries across the county's
// schools controlled by Benjamini–Hochberg at QualityConfig.FDR.
const (
	RuleTemplate Rule = "template"      // identical non-uniform answer sheets
	RuleProxy    Rule = "proxy"         // parents answering from the staff's address or device, in school hours
	RuleUniform  Rule = "uniform"       // almost no spread in answers or in completion times
	RuleSequence Rule = "code_sequence" // one-time codes used one after another at near-fixed intervals
)

// StuffingRules lists the stuffing rules in report order.
var StuffingRules = []Rule{RuleTemplate, RuleProxy, RuleUniform, RuleSequence}

// IsStuffing reports whether r is one of the per-school stuffing rules.
func (r Rule) IsStuffing() bool { return slices.Contains(StuffingRules, r) }

// TemplateRule tests each school × group for a cluster of at least
// MinCluster identical answer sheets that are not one answer throughout.
type TemplateRule struct {
	Enabled    bool `json:"enabled" yaml:"enabled"`
	Exclude    bool `json:"exclude" yaml:"exclude"`
	MinCluster int  `json:"min_cluster" yaml:"min_cluster"`
}

// ProxyRule tests each school for at least MinShared parent responses sent in
// school hours from an address or device its teachers or principal used.
type ProxyRule struct {
	Enabled   bool `json:"enabled" yaml:"enabled"`
	Exclude   bool `json:"exclude" yaml:"exclude"`
	MinShared int  `json:"min_shared" yaml:"min_shared"`
}

// UniformRule tests each school × group of at least MinResponses responses
// for too few answers below 比较认可, or too many completion times within
// TimeBand (a fraction) of the group's median there.
type UniformRule struct {
	Enabled      bool    `json:"enabled" yaml:"enabled"`
	Exclude      bool    `json:"exclude" yaml:"exclude"`
	MinResponses int     `json:"min_responses" yaml:"min_responses"`
	TimeBand     float64 `json:"time_band" yaml:"time_band"`
}

// SequenceRule tests each school's one-time-code responses for a run of at
// least MinRun sent one after another, each within MaxGap of the last, at
// near-equal intervals, from at most MaxAddresses keyed addresses.
type SequenceRule struct {
	Enabled      bool          `json:"enabled" yaml:"enabled"`
	Exclude      bool          `json:"exclude" yaml:"exclude"`
	MinRun       int           `json:"min_run" yaml:"min_run"`
	MaxGap       time.Duration `json:"max_gap" yaml:"max_gap"`
	MaxAddresses int           `json:"max_addresses" yaml:"max_addresses"`
}

// Default settings of the stuffing rules: all on, flag only, 5% FDR.
const (
	DefaultFDR          = 0.05
	defaultMinCluster   = 5
	defaultMinShared    = 3
	defaultMinResponses = 10
	defaultTimeBand     = 0.05
	defaultMinRun       = 5
	defaultMaxGap       = 10 * time.Minute
	defaultMaxAddresses = 2
)

func defaultStuffing(c *QualityConfig) {
	c.Template = TemplateRule{Enabled: true, MinCluster: defaultMinCluster}
	c.Proxy = ProxyRule{Enabled: true, MinShared: defaultMinShared}
	c.Uniform = UniformRule{Enabled: true, MinResponses: defaultMinResponses, TimeBand: defaultTimeBand}
	c.Sequence = SequenceRule{Enabled: true, MinRun: defaultMinRun, MaxGap: defaultMaxGap, MaxAddresses: defaultMaxAddresses}
	c.FDR = DefaultFDR
}

// stuffingOn reports whether any stuffing rule runs.
func (c QualityConfig) stuffingOn() bool {
	return slices.ContainsFunc(StuffingRules, func(r Rule) bool {
		enabled, _ := c.switches(r)
		return enabled
	})
}

// validateStuffing adds to p what is wrong with the settings of the stuffing rules.
func (c QualityConfig) validateStuffing(p *problems) {
	if c.stuffingOn() {
		p.require(c.FDR > 0 && c.FDR <= 0.5, "错误发现率 %v 应在 (0, 0.5] 内", c.FDR)
	}
	if c.Template.Enabled {
		p.require(c.Template.MinCluster >= 2, "模板作答规则：最小雷同份数 %d 应至少为 2", c.Template.MinCluster)
	}
	if c.Proxy.Enabled {
		p.require(c.Proxy.MinShared >= 1, "代答规则：最少同址份数 %d 应至少为 1", c.Proxy.MinShared)
	}
	if c.Uniform.Enabled {
		p.require(c.Uniform.MinResponses >= 3, "异常一致规则：最少应答数 %d 应至少为 3", c.Uniform.MinResponses)
		p.require(c.Uniform.TimeBand > 0 && c.Uniform.TimeBand <= 0.5, "异常一致规则：用时带宽 %v 应在 (0, 0.5] 内", c.Uniform.TimeBand)
	}
	if c.Sequence.Enabled {
		p.require(c.Sequence.MinRun >= 3, "一次性码连号规则：最短连续份数 %d 应至少为 3", c.Sequence.MinRun)
		p.require(c.Sequence.MaxGap > 0, "一次性码连号规则：最大间隔 %v 应为正数", c.Sequence.MaxGap)
		p.require(c.Sequence.MaxAddresses >= 1, "一次性码连号规则：最多地址数 %d 应至少为 1", c.Sequence.MaxAddresses)
	}
}
