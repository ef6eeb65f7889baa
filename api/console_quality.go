package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/report"
	"renke/survey"
	"renke/web/console"
)

// rulesView shows rules in the console's units. Rules stored before the
// stuffing rules existed have them off with no parameters: the form offers
// the defaults' parameters (still off) so that turning one on needs no more.
func rulesView(c report.QualityConfig) console.QualityRules {
	if c.FDR == 0 && !c.Template.Enabled && !c.Proxy.Enabled && !c.Uniform.Enabled && !c.Sequence.Enabled {
		d := report.DefaultQualityConfig()
		c.Template, c.Proxy, c.Uniform, c.Sequence, c.FDR = d.Template, d.Proxy, d.Uniform, d.Sequence, d.FDR
		c.Template.Enabled, c.Proxy.Enabled, c.Uniform.Enabled, c.Sequence.Enabled = false, false, false, false
	}
	return console.QualityRules{
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

// Bounds that keep every figure meaningful (and every duration representable).
const (
	maxSpeederFloor = 24 * time.Hour
	maxBurstWindow  = 7 * 24 * time.Hour
	maxRuleCount    = 100000
)

// rulesConfig turns the console's rules into the estimator's, checking them.
func rulesConfig(in console.QualityRules) (report.QualityConfig, error) {
	var errs []string
	// duration reads v in unit (named unitName in messages), up to limit.
	duration := func(v float64, unit time.Duration, unitName string, limit time.Duration, what string) time.Duration {
		top := float64(limit) / float64(unit)
		if math.IsNaN(v) || v < 0 || v > top {
			errs = append(errs, fmt.Sprintf("%s应在 0 到 %.0f %s之间", what, top, unitName))
			return 0
		}
		return time.Duration(math.Round(v * float64(unit)))
	}
	count := func(v int, what string) int {
		if v < 0 || v > maxRuleCount {
			errs = append(errs, fmt.Sprintf("%s应在 0 到 %d 之间", what, maxRuleCount))
			return 0
		}
		return v
	}
	c := report.QualityConfig{
		Speeder: report.SpeederRule{Enabled: in.SpeederEnabled, Exclude: in.SpeederExclude,
			Floor: duration(in.SpeederFloorSeconds, time.Second, "秒", maxSpeederFloor, "答题过快的时间下限"), MedianFraction: in.SpeederMedianFraction},
		StraightLine: report.StraightLineRule{Enabled: in.StraightLineEnabled, Exclude: in.StraightLineExclude,
			MinItems: count(in.StraightLineMinItems, "同一答案规则的最少题数")},
		RepeatDevice: report.RepeatDeviceRule{Enabled: in.RepeatDeviceEnabled, Exclude: in.RepeatDeviceExclude},
		Burst: report.BurstRule{Enabled: in.BurstEnabled, Exclude: in.BurstExclude,
			MaxPerWindow: count(in.BurstMaxPerWindow, "集中提交的份数上限"),
			Window:       duration(in.BurstWindowMinutes, time.Minute, "分钟", maxBurstWindow, "集中提交的时间窗")},
		Template: report.TemplateRule{Enabled: in.TemplateEnabled, Exclude: in.TemplateExclude,
			MinCluster: count(in.TemplateMinCluster, "模板作答的最小雷同份数")},
		Proxy: report.ProxyRule{Enabled: in.ProxyEnabled, Exclude: in.ProxyExclude,
			MinShared: count(in.ProxyMinShared, "代答的最少同址份数")},
		Uniform: report.UniformRule{Enabled: in.UniformEnabled, Exclude: in.UniformExclude,
			MinResponses: count(in.UniformMinResponses, "异常一致的最少应答数"), TimeBand: in.UniformTimeBand},
		Sequence: report.SequenceRule{Enabled: in.SequenceEnabled, Exclude: in.SequenceExclude,
			MinRun:       count(in.SequenceMinRun, "一次性码连续使用的最短份数"),
			MaxGap:       duration(in.SequenceMaxGapMinutes, time.Minute, "分钟", maxBurstWindow, "一次性码连续使用的最大间隔"),
			MaxAddresses: count(in.SequenceMaxAddresses, "一次性码连续使用的最多地址数")},
		FDR: in.FDR,
	}
	if len(errs) > 0 {
		return c, cerr(http.StatusUnprocessableEntity, strings.Join(errs, "；"))
	}
	if err := c.Validate(); err != nil {
		return c, invalid(err)
	}
	return c, nil
}

// rulesFromForm reads the report page's rules form; a number that does not
// parse is named in the error.
func rulesFromForm(c *gin.Context) (console.QualityRules, error) {
	var in console.QualityRules
	var errs []string
	on := func(name string) bool { v := c.PostForm(name); return v == "true" || v == "on" }
	num := func(name, what string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(c.PostForm(name)), 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			errs = append(errs, what+"应为数字")
		}
		return v
	}
	whole := func(name, what string) int {
		v, err := strconv.Atoi(strings.TrimSpace(c.PostForm(name)))
		if err != nil {
			errs = append(errs, what+"应为整数")
		}
		return v
	}
	in.SpeederEnabled, in.SpeederExclude = on("speeder_enabled"), on("speeder_exclude")
	in.SpeederFloorSeconds = num("speeder_floor_seconds", "答题过快的时间下限")
	in.SpeederMedianFraction = num("speeder_median_fraction", "答题过快的中位数比例")
	in.StraightLineEnabled, in.StraightLineExclude = on("straightline_enabled"), on("straightline_exclude")
	in.StraightLineMinItems = whole("straightline_min_items", "同一答案规则的最少题数")
	in.RepeatDeviceEnabled, in.RepeatDeviceExclude = on("repeat_device_enabled"), on("repeat_device_exclude")
	in.BurstEnabled, in.BurstExclude = on("burst_enabled"), on("burst_exclude")
	in.BurstMaxPerWindow = whole("burst_max_per_window", "集中提交的份数上限")
	in.BurstWindowMinutes = num("burst_window_minutes", "集中提交的时间窗")
	stuffingFromForm(c, &in, on, num, whole)
	if len(errs) > 0 {
		return in, cerr(http.StatusUnprocessableEntity, strings.Join(errs, "；"))
	}
	return in, nil
}

// setQualityRules stores a survey's new rules, audited with the old ones.
func (s *Server) setQualityRules(c *gin.Context, sv *survey.Survey, in console.QualityRules) (report.QualityConfig, error) {
	ctx := c.Request.Context()
	cfg, err := rulesConfig(in)
	if err != nil {
		return cfg, err
	}
	before, err := s.store.QualityRules(ctx, sv.ID)
	if err != nil {
		return cfg, err
	}
	if err := s.store.SetQualityRules(ctx, sv.ID, cfg, userOf(c).Name, survey.TruncateTime(s.now())); err != nil {
		return cfg, err
	}
	s.forgetProgress(sv.ID) // the progress counts flagged and excluded responses
	return cfg, s.audited(c, account.ActQualityRules, auditScope{County: sv.County, Survey: sv.ID},
		rulesView(before), rulesView(cfg))
}

// qualityRulesSubmit is POST /console/surveys/:id/quality-rules.
func (s *Server) qualityRulesSubmit(c *gin.Context) {
	sv, err := s.surveyFor(c, account.OverrideExclusion)
	if err != nil {
		s.fail(c, err)
		return
	}
	in, err := rulesFromForm(c)
	if err == nil {
		_, err = s.setQualityRules(c, sv, in)
	}
	s.reportFormResult(c, sv, err, "rules")
}

// apiQualityRules is GET /api/v1/surveys/:id/quality-rules.
func (s *Server) apiQualityRules(c *gin.Context) {
	sv, err := s.surveyFor(c, account.ViewReports)
	if err != nil {
		s.fail(c, err)
		return
	}
	cfg, err := s.store.QualityRules(c.Request.Context(), sv.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": rulesView(cfg)})
}

// apiSetQualityRules is PUT /api/v1/surveys/:id/quality-rules: the rules'
// fields as GET shows them; those left out keep their current values.
func (s *Server) apiSetQualityRules(c *gin.Context) {
	sv, err := s.surveyFor(c, account.OverrideExclusion)
	if err != nil {
		s.fail(c, err)
		return
	}
	current, err := s.store.QualityRules(c.Request.Context(), sv.ID)
	if err != nil {
		s.fail(c, err)
		return
	}
	in := rulesView(current) // a field the body leaves out keeps its value
	if err := readJSON(c, &in); err != nil {
		s.fail(c, err)
		return
	}
	cfg, err := s.setQualityRules(c, sv, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rules": rulesView(cfg)})
}
