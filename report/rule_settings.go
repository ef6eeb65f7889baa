package report

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// RuleSettings is a survey's data-quality rules in the units people set
// them in (seconds, minutes, counts): what the console's form, the JSON API
// and `renke rules` read and show, and what the audit log records. Config
// turns it into the estimator's QualityConfig, checking every bound.
type RuleSettings struct {
	SpeederEnabled        bool    `json:"speeder_enabled"`
	SpeederExclude        bool    `json:"speeder_exclude"`
	SpeederFloorSeconds   float64 `json:"speeder_floor_seconds"`
	SpeederMedianFraction float64 `json:"speeder_median_fraction"`
	StraightLineEnabled   bool    `json:"straightline_enabled"`
	StraightLineExclude   bool    `json:"straightline_exclude"`
	StraightLineMinItems  int     `json:"straightline_min_items"`
	RepeatDeviceEnabled   bool    `json:"repeat_device_enabled"`
	RepeatDeviceExclude   bool    `json:"repeat_device_exclude"`
	BurstEnabled          bool    `json:"burst_enabled"`
	BurstExclude          bool    `json:"burst_exclude"`
	BurstMaxPerWindow     int     `json:"burst_max_per_window"`
	BurstWindowMinutes    float64 `json:"burst_window_minutes"`
	// The stuffing rules (TemplateRule and the others), judged per school.
	TemplateEnabled       bool    `json:"template_enabled"`
	TemplateExclude       bool    `json:"template_exclude"`
	TemplateMinCluster    int     `json:"template_min_cluster"`
	ProxyEnabled          bool    `json:"proxy_enabled"`
	ProxyExclude          bool    `json:"proxy_exclude"`
	ProxyMinShared        int     `json:"proxy_min_shared"`
	UniformEnabled        bool    `json:"uniform_enabled"`
	UniformExclude        bool    `json:"uniform_exclude"`
	UniformMinResponses   int     `json:"uniform_min_responses"`
	UniformTimeBand       float64 `json:"uniform_time_band"`
	SequenceEnabled       bool    `json:"sequence_enabled"`
	SequenceExclude       bool    `json:"sequence_exclude"`
	SequenceMinRun        int     `json:"sequence_min_run"`
	SequenceMaxGapMinutes float64 `json:"sequence_max_gap_minutes"`
	SequenceMaxAddresses  int     `json:"sequence_max_addresses"`
	// FDR is the false-discovery rate of the stuffing rules (0–0.5).
	FDR float64 `json:"fdr"`
}

// Bounds that keep every figure meaningful (and every duration representable).
const (
	// MaxSpeederFloor bounds the speeder rule's time floor.
	MaxSpeederFloor = 24 * time.Hour
	// MaxRuleWindow bounds the burst window and the one-time codes' gap.
	MaxRuleWindow = 7 * 24 * time.Hour
	// MaxRuleCount bounds every count of a rule.
	MaxRuleCount = 100000
)

// SettingsOf shows c in RuleSettings' units. Rules stored before the
// stuffing rules existed have them off with no parameters: the defaults'
// parameters are shown (still off) so that turning one on needs no more.
func SettingsOf(c QualityConfig) RuleSettings {
	if c.FDR == 0 && !c.Template.Enabled && !c.Proxy.Enabled && !c.Uniform.Enabled && !c.Sequence.Enabled {
		d := DefaultQualityConfig()
		c.Template, c.Proxy, c.Uniform, c.Sequence, c.FDR = d.Template, d.Proxy, d.Uniform, d.Sequence, d.FDR
		c.Template.Enabled, c.Proxy.Enabled, c.Uniform.Enabled, c.Sequence.Enabled = false, false, false, false
	}
	return RuleSettings{
		SpeederEnabled: c.Speeder.Enabled, SpeederExclude: c.Speeder.Exclude,
		SpeederFloorSeconds: c.Speeder.Floor.Seconds(), SpeederMedianFraction: c.Speeder.MedianFraction,
		StraightLineEnabled: c.StraightLine.Enabled, StraightLineExclude: c.StraightLine.Exclude,
		StraightLineMinItems: c.StraightLine.MinItems,
		RepeatDeviceEnabled:  c.RepeatDevice.Enabled, RepeatDeviceExclude: c.RepeatDevice.Exclude,
		BurstEnabled: c.Burst.Enabled, BurstExclude: c.Burst.Exclude,
		BurstMaxPerWindow: c.Burst.MaxPerWindow, BurstWindowMinutes: c.Burst.Window.Minutes(),
		TemplateEnabled: c.Template.Enabled, TemplateExclude: c.Template.Exclude, TemplateMinCluster: c.Template.MinCluster,
		ProxyEnabled: c.Proxy.Enabled, ProxyExclude: c.Proxy.Exclude, ProxyMinShared: c.Proxy.MinShared,
		UniformEnabled: c.Uniform.Enabled, UniformExclude: c.Uniform.Exclude,
		UniformMinResponses: c.Uniform.MinResponses, UniformTimeBand: c.Uniform.TimeBand,
		SequenceEnabled: c.Sequence.Enabled, SequenceExclude: c.Sequence.Exclude, SequenceMinRun: c.Sequence.MinRun,
		SequenceMaxGapMinutes: c.Sequence.MaxGap.Minutes(), SequenceMaxAddresses: c.Sequence.MaxAddresses,
		FDR: c.FDR,
	}
}

// Config turns the settings into the estimator's rules, checking the bounds
// of every figure and then the rules themselves; the error's message (in
// Chinese) names every figure out of bounds.
func (in RuleSettings) Config() (QualityConfig, error) {
	var errs []string
	duration := func(key string, v float64, unit time.Duration, unitName string, limit time.Duration) time.Duration {
		top := float64(limit) / float64(unit)
		if math.IsNaN(v) || v < 0 || v > top {
			errs = append(errs, fmt.Sprintf("%s应在 0 到 %.0f %s之间", SettingLabel(key), top, unitName))
			return 0
		}
		return time.Duration(math.Round(v * float64(unit)))
	}
	count := func(key string, v int) int {
		if v < 0 || v > MaxRuleCount {
			errs = append(errs, fmt.Sprintf("%s应在 0 到 %d 之间", SettingLabel(key), MaxRuleCount))
			return 0
		}
		return v
	}
	c := QualityConfig{
		Speeder: SpeederRule{Enabled: in.SpeederEnabled, Exclude: in.SpeederExclude,
			Floor:          duration("speeder_floor_seconds", in.SpeederFloorSeconds, time.Second, "秒", MaxSpeederFloor),
			MedianFraction: in.SpeederMedianFraction},
		StraightLine: StraightLineRule{Enabled: in.StraightLineEnabled, Exclude: in.StraightLineExclude,
			MinItems: count("straightline_min_items", in.StraightLineMinItems)},
		RepeatDevice: RepeatDeviceRule{Enabled: in.RepeatDeviceEnabled, Exclude: in.RepeatDeviceExclude},
		Burst: BurstRule{Enabled: in.BurstEnabled, Exclude: in.BurstExclude,
			MaxPerWindow: count("burst_max_per_window", in.BurstMaxPerWindow),
			Window:       duration("burst_window_minutes", in.BurstWindowMinutes, time.Minute, "分钟", MaxRuleWindow)},
		Template: TemplateRule{Enabled: in.TemplateEnabled, Exclude: in.TemplateExclude,
			MinCluster: count("template_min_cluster", in.TemplateMinCluster)},
		Proxy: ProxyRule{Enabled: in.ProxyEnabled, Exclude: in.ProxyExclude,
			MinShared: count("proxy_min_shared", in.ProxyMinShared)},
		Uniform: UniformRule{Enabled: in.UniformEnabled, Exclude: in.UniformExclude,
			MinResponses: count("uniform_min_responses", in.UniformMinResponses), TimeBand: in.UniformTimeBand},
		Sequence: SequenceRule{Enabled: in.SequenceEnabled, Exclude: in.SequenceExclude,
			MinRun:       count("sequence_min_run", in.SequenceMinRun),
			MaxGap:       duration("sequence_max_gap_minutes", in.SequenceMaxGapMinutes, time.Minute, "分钟", MaxRuleWindow),
			MaxAddresses: count("sequence_max_addresses", in.SequenceMaxAddresses)},
		FDR: in.FDR,
	}
	if len(errs) > 0 {
		return c, errors.New(strings.Join(errs, "；"))
	}
	if err := c.Validate(); err != nil {
		return c, err
	}
	return c, nil
}
