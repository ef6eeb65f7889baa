package render

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"renke/report"
)

// qualityView is the data-quality section.
type qualityView struct {
	Ran                         bool
	Responses, Flagged, Exclude int
	Rules                       []ruleRow
	RuleLabels                  []string // column heads of Schools' ByRule
	Schools                     []schoolQualityRow
	Suspects                    []schoolQualityRow
	Overrides                   report.OverrideCount
	Criterion                   string
}

type ruleRow struct {
	Label, Action, Setting string
	Flagged, Excluded      int
}

// schoolQualityRow is one school's flags; Share is Flagged / Responses.
type schoolQualityRow struct {
	Code, Name         string
	Responses, Flagged int
	Excluded           int
	Share              float64
	ByRule             []int // in report.Rules order
	Suspect            bool
	Reason             string
}

// Suspect schools: at least suspectMinFlagged responses flagged, and a
// flagged share of at least suspectMinShare and at least suspectFactor times
// the survey's (but a share of suspectMaxShare always suffices). Bursts from one address and identical answer sheets are how
// stuffing and coaching look in the data (METHOD.md §5).
const (
	suspectMinFlagged = 3
	suspectMinShare   = 0.2
	suspectFactor     = 2.0
	suspectMaxShare   = 0.5
)

func newQuality(in *report.Published, names map[string]schoolInfo) qualityView {
	var q qualityView
	var s *report.QualitySummary
	switch {
	case in.Report != nil && in.Report.Quality != nil:
		s = in.Report.Quality
	case in.Quality != nil:
		sum := in.Quality.Summary()
		s = &sum
	default:
		return q
	}
	q.Ran, q.Responses, q.Flagged, q.Exclude, q.Overrides = true, s.Responses, s.Flagged, s.Excluded, s.Overrides
	for _, r := range report.Rules {
		q.RuleLabels = append(q.RuleLabels, r.Label())
	}
	for _, rc := range s.ByRule {
		action := "仅标记"
		if rc.Excludes {
			action = "标记并剔除"
		}
		q.Rules = append(q.Rules, ruleRow{Label: rc.Label, Action: action, Setting: ruleSetting(s.Config, rc.Rule),
			Flagged: rc.Flagged, Excluded: rc.Excluded})
	}
	overall := 0.0
	if s.Responses > 0 {
		overall = float64(s.Flagged) / float64(s.Responses)
	}
	threshold := math.Max(suspectMinShare, math.Min(suspectFactor*overall, suspectMaxShare))
	q.Criterion = fmt.Sprintf("学校被列为可疑的条件：被标记应答不少于 %d 份，且占该校应答的比例不低于 %s（%s 与全县标记比例 %s 的 %.0f 倍中的较大者，但不超过 %s）。"+
		"同一网络地址集中提交和大量“所有题目同一答案”，是代填、刷票或统一指导作答的典型迹象；是否剔除由评估人员复核后裁定。",
		suspectMinFlagged, pct(threshold), pct0(suspectMinShare), pct(overall), suspectFactor, pct0(suspectMaxShare))
	for _, sq := range s.BySchool {
		row := schoolQualityRow{Code: sq.School, Name: schoolName(names, sq.School), Responses: sq.Responses,
			Flagged: sq.Flagged, Excluded: sq.Excluded}
		if sq.Responses > 0 {
			row.Share = float64(sq.Flagged) / float64(sq.Responses)
		}
		var why []string
		for _, r := range report.Rules {
			row.ByRule = append(row.ByRule, sq.ByRule[r])
			if n := sq.ByRule[r]; n > 0 {
				why = append(why, fmt.Sprintf("%s %d 份", r.Label(), n))
			}
		}
		row.Reason = strings.Join(why, "，")
		row.Suspect = sq.School != "" && sq.Flagged >= suspectMinFlagged && row.Share >= threshold
		q.Schools = append(q.Schools, row)
	}
	sort.SliceStable(q.Schools, func(a, b int) bool {
		if q.Schools[a].Share != q.Schools[b].Share {
			return q.Schools[a].Share > q.Schools[b].Share
		}
		return q.Schools[a].Flagged > q.Schools[b].Flagged
	})
	for _, r := range q.Schools {
		if r.Suspect {
			q.Suspects = append(q.Suspects, r)
		}
	}
	return q
}

// ruleSetting describes a rule's parameters in words.
func ruleSetting(c report.QualityConfig, r report.Rule) string {
	switch r {
	case report.RuleSpeeder:
		if !c.Speeder.Enabled {
			return "未启用"
		}
		return fmt.Sprintf("用时少于 %s 且少于本群体用时中位数的 %.0f%%", durText(c.Speeder.Floor), c.Speeder.MedianFraction*100)
	case report.RuleStraightLine:
		if !c.StraightLine.Enabled {
			return "未启用"
		}
		return fmt.Sprintf("至少 %d 题且全部选同一选项", c.StraightLine.MinItems)
	case report.RuleRepeatDevice:
		if !c.RepeatDevice.Enabled {
			return "未启用"
		}
		return "同一设备的第二份及以后的应答"
	case report.RuleBurst:
		if !c.Burst.Enabled {
			return "未启用"
		}
		return fmt.Sprintf("同一网络地址在 %s 内提交超过 %d 份", durText(c.Burst.Window), c.Burst.MaxPerWindow)
	}
	return stuffingSetting(c, r)
}

// warnings are what an evaluator must see before the numbers.
func warnings(in *report.Published, v *view) []string {
	var w []string
	if in.ChainError != nil {
		w = append(w, "应答哈希链校验未通过："+in.ChainError.Error()+"。存储的应答在写入后可能被改动，本报告的数字不可信，须先查明原因。")
	}
	w = append(w, settingWarnings(in)...)
	if n := len(in.Unaudited); n > 0 {
		ids := make([]string, 0, min(n, 5))
		for _, o := range in.Unaudited[:min(n, 5)] {
			ids = append(ids, o.ResponseID)
		}
		more := ""
		if n > 5 {
			more = " 等"
		}
		w = append(w, fmt.Sprintf("有 %d 条人工裁定在审计日志中没有对应的记录（应答 %s%s）：它们可能未经本系统直接写入了数据库，"+
			"或当时审计日志写入失败。本报告已按其计算，须先查明原因。", n, strings.Join(ids, "、"), more))
	}
	if err := in.AuditChain.Err; err != nil {
		w = append(w, "审计日志哈希链校验未通过："+err.Error()+"。变更记录（含人工裁定、群体权重和计分方案的修改）在写入后可能被改动或删除，须先查明原因。")
	}
	if !v.HasData {
		w = append(w, "本调查尚无有效应答，报告不含认可度估计："+v.NoData+"。")
	}
	if in.Plan == nil {
		w = append(w, "未找到抽样方案：无法对照计划检查样本完成情况。")
	}
	if in.Frame == nil && v.HasData {
		w = append(w, "未找到抽样框：各加权单元的人数未知，所有权重按 1 计算。")
	}
	if v.HasData && v.Design.DF < 10 {
		w = append(w, fmt.Sprintf("自由度只有 %d：初级抽样单位（学校等）太少，置信区间较宽。", v.Design.DF))
	}
	if s := v.Sample; s.HasPlan && s.Planned > 0 && s.Fill < 0.9 {
		w = append(w, fmt.Sprintf("样本完成 %d 份，只达到计划 %d 份的 %s。", s.Received, s.Planned, pct(s.Fill)))
	}
	if q := v.Quality; q.Ran && q.Responses > 0 && float64(q.Exclude) > 0.1*float64(q.Responses) {
		w = append(w, fmt.Sprintf("剔除应答 %d 份，占全部应答的 %s。", q.Exclude, pct(float64(q.Exclude)/float64(q.Responses))))
	}
	if s := suspectWarning(v); s != "" {
		w = append(w, s)
	}
	if n := len(v.Stuffing.Findings); n > 0 {
		w = append(w, fmt.Sprintf("有 %d 项作答模式证据（模板作答、代答、异常一致或一次性码连续使用），按独立作答计算不寻常且经错误发现率控制。详见“数据质量”。", n))
	}
	return w
}

// suspectWarning names the schools whose answer patterns look suspicious; "" when none.
func suspectWarning(v *view) string {
	n := len(v.Quality.Suspects)
	if n == 0 {
		return ""
	}
	var names []string
	for _, s := range v.Quality.Suspects {
		names = append(names, s.Name)
	}
	return fmt.Sprintf("%d 所学校的作答模式可疑（集中提交或整卷同一答案比例高）：%s。详见“数据质量”。", n, strings.Join(names, "、"))
}
