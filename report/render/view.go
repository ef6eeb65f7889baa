package render

import (
	"fmt"
	"sort"

	"renke/report"
	"renke/survey"
)

// view is the report as all formats draw it: texts in Chinese, rows sorted.
type view struct {
	Title, County, SurveyID string
	Generated, Version      string
	HasData                 bool
	NoData                  string
	Bar                     float64
	Verdict                 verdict
	Warnings                []string
	Weakest                 []weakRow
	Sample                  sampleView
	Groups                  []rateRow
	Dimensions              []rateRow
	DimGroups               dimGroupTable
	Items                   []rateRow
	Urbanicities            []rateRow
	Townships               []rateRow
	Schools                 []rateRow
	Quality                 qualityView
	Stuffing                stuffingView
	Method                  []section
	Chain                   chainView
	Audit                   []auditRow
	AuditChain              auditChainView
	Cells                   []report.CellRow
	Counts                  report.Counts
	Design                  report.Design
	// Sections are the numbered headings of the sections present.
	Sections map[string]string
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// number titles the sections present, in order: 一、…, 二、….
func (v *view) number() {
	v.Sections = map[string]string{}
	all := [][2]string{{"sample", "样本完成情况"}, {"groups", "各群体认可度"}, {"dimensions", "各维度认可度"}, {"items", "各题目认可度"},
		{"areas", "城乡与乡镇"}, {"schools", "各校认可度"}, {"quality", "数据质量"}, {"method", "方法说明"}, {"chain", "数据完整性（哈希链）"}, {"audit", "变更记录（审计日志）"}}
	k := 0
	for _, s := range all {
		switch s[0] {
		case "groups", "dimensions", "items", "areas", "schools":
			if !v.HasData {
				continue
			}
		}
		v.Sections[s[0]] = numerals[k] + "、" + s[1]
		k++
	}
}

// verdict is the opening statement.
type verdict struct {
	Word     string // 达标 or 未达标
	Passed   bool
	Overall  report.Overall
	Headline string   // the one sentence
	Lines    []string // interval, probability, sample
}

// rateRow is one breakdown row. Note qualifies the label (an item's form and
// dimension, a school's township). For schools Rate, CILow and CIHigh are the
// unweighted rate and its Wilson interval; Weighted is the design-weighted rate.
type rateRow struct {
	Key   string
	Label string
	Note  string
	report.Estimate
	Weighted    float64
	GroupWeight float64 // W_g, for groups
	Below       bool
	// NoDesign: the design gives the row no variance (a domain with one
	// PSU): CILow–CIHigh is a Wilson interval, SE and Deff are not shown.
	NoDesign bool
}

type weakRow struct {
	Kind, Label string
	Rate        float64
	N           int
}

// dimGroupTable is dimension × group rates; NaN where a group has none.
type dimGroupTable struct {
	Groups []string
	Rows   []dimGroupRow
}

type dimGroupRow struct {
	Dimension string
	Rates     []*float64
}

var kindLabels = map[string]string{"group": "群体", "dimension": "维度", "item": "题目", "township": "乡镇", "school": "学校"}

// newView builds the view of an input that passed check.
func newView(in *report.Published) *view {
	sv := in.Survey
	v := &view{Title: sv.Title, County: sv.County, SurveyID: sv.ID, Generated: timeText(in.Generated),
		Version: in.Version, Bar: report.DefaultBar}
	if v.Version == "" {
		v.Version = "未标注"
	}
	names := schoolsOf(in)
	rep := in.Report
	v.HasData = rep != nil
	if rep == nil {
		v.NoData = in.NoData
		if v.NoData == "" {
			v.NoData = "没有有效应答，无法估计认可度"
		}
	} else {
		v.fillRates(rep, names)
	}
	v.Sample = newSample(in, names)
	v.Sample.OutOfPlan = outOfPlan(in.Audit)
	v.Quality = newQuality(in, names)
	v.Stuffing = newStuffing(in, names)
	v.Chain = newChain(in)
	v.Audit = newAudit(in.Audit)
	v.AuditChain = newAuditChain(in.AuditChain)
	v.Method = method(in)
	v.Warnings = warnings(in, v)
	v.number()
	return v
}

func (v *view) fillRates(rep *report.Report, names map[string]schoolInfo) {
	if rep.Overall.Bar > 0 {
		v.Bar = rep.Overall.Bar
	}
	v.Counts, v.Design, v.Cells = rep.Counts, rep.Design, rep.Cells
	v.Verdict = newVerdict(rep)
	for _, g := range rep.Groups {
		v.Groups = append(v.Groups, rateRow{Key: string(g.Group), Label: g.Label, Estimate: g.Estimate, GroupWeight: g.GroupWeight,
			Note: fmt.Sprintf("权重 %.1f%%", g.GroupWeight*100)})
	}
	for _, d := range rep.Dimensions {
		v.Dimensions = append(v.Dimensions, rateRow{Key: d.Dimension, Label: d.Dimension, Estimate: d.Estimate})
	}
	for _, it := range rep.Items {
		v.Items = append(v.Items, rateRow{Key: string(it.Form) + ":" + it.Item, Label: it.Text,
			Note: it.Form.Label() + " · " + it.Dimension + " · " + it.Item, Estimate: it.Estimate})
	}
	for _, u := range rep.Urbanicities {
		v.Urbanicities = append(v.Urbanicities, domainRateRow(u))
	}
	for _, t := range rep.Townships {
		v.Townships = append(v.Townships, domainRateRow(t))
	}
	for _, s := range rep.Schools {
		e := s.Estimate
		e.Rate, e.CILow, e.CIHigh = s.UnweightedRate, s.WilsonLow, s.WilsonHigh
		note := s.Township
		if s.Urbanicity != "" {
			note += " · " + string(s.Urbanicity)
		}
		v.Schools = append(v.Schools, rateRow{Key: s.School, Label: schoolName(names, s.School), Note: note,
			Estimate: e, Weighted: s.Rate})
	}
	for _, rows := range [][]rateRow{v.Groups, v.Dimensions, v.Items, v.Urbanicities, v.Townships, v.Schools} {
		weakestFirst(rows, v.Bar)
	}
	v.DimGroups = dimGroups(rep)
	for _, w := range rep.Weakest {
		label := w.Label
		if w.Kind == "school" {
			label = schoolName(names, w.Key)
		}
		v.Weakest = append(v.Weakest, weakRow{Kind: kindLabels[w.Kind], Label: label, Rate: w.Rate, N: w.N})
	}
}

// weakestFirst sorts rows by rate, lowest first (ties keep their order), and
// marks the rows below the bar.
func weakestFirst(rows []rateRow, bar float64) {
	sort.SliceStable(rows, func(a, b int) bool { return rows[a].Rate < rows[b].Rate })
	for i := range rows {
		rows[i].Below = rows[i].Rate < bar
	}
}

func dimGroups(rep *report.Report) dimGroupTable {
	var t dimGroupTable
	var groups []survey.Group
	for _, g := range rep.Groups {
		groups = append(groups, g.Group)
		t.Groups = append(t.Groups, g.Label)
	}
	for _, d := range rep.Dimensions {
		row := dimGroupRow{Dimension: d.Dimension, Rates: make([]*float64, len(groups))}
		for _, ge := range d.ByGroup {
			for i, g := range groups {
				if g == ge.Group && ge.N > 0 {
					r := ge.Rate
					row.Rates[i] = &r
				}
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func newVerdict(rep *report.Report) verdict {
	o := rep.Overall
	v := verdict{Word: o.Verdict, Passed: o.Passed, Overall: o}
	v.Headline = fmt.Sprintf("总体认可度 %s，%s达标线 %s，结论：%s。", pct(o.Rate), map[bool]string{true: "达到", false: "未达到"}[o.Passed], pct0(o.Bar), o.Verdict)
	ci := fmt.Sprintf("95%%置信区间 %s – %s（t 分布，自由度 %d，标准误 %.4f）", pct(o.CILow), pct(o.CIHigh), o.DF, o.SE)
	switch {
	case o.CIClearsBar:
		ci += "，整个区间在达标线以上。"
	case o.CIHigh < o.Bar:
		ci += "，整个区间在达标线以下。"
	default:
		ci += "，区间跨越达标线：仅凭样本不能排除真实认可度在达标线另一侧的可能。"
	}
	v.Lines = append(v.Lines, ci)
	if o.PassProbability != nil {
		v.Lines = append(v.Lines, fmt.Sprintf("考虑抽样误差，真实认可度不低于 %s 的概率：%s。", pct0(o.Bar), report.FormatPassProbability(*o.PassProbability)))
	} else {
		v.Lines = append(v.Lines, "自由度不足，无法计算真实认可度达标的概率。")
	}
	c := rep.Counts
	v.Lines = append(v.Lines, fmt.Sprintf("共收到应答 %d 份：有效 %d 份，按数据质量规则或人工裁定剔除 %d 份，全部答“不了解”等无计分作答 %d 份。",
		c.Responses, c.Valid, c.Excluded, c.NoScore))
	return v
}

// pct formats a rate as a percentage with one decimal; pct0 without.
func pct(x float64) string  { return fmt.Sprintf("%.1f%%", x*100) }
func pct0(x float64) string { return fmt.Sprintf("%.0f%%", x*100) }

// pctp formats an optional rate; "—" when absent.
func pctp(x *float64) string {
	if x == nil {
		return "—"
	}
	return pct(*x)
}

// domainRateRow is an urbanicity's or township's row; one the design gives
// no variance says so in its note and shows its Wilson interval.
func domainRateRow(d report.DomainRow) rateRow {
	r := rateRow{Key: d.Key, Label: d.Key, Estimate: d.Estimate, NoDesign: !d.Estimable}
	if !d.Estimable {
		r.Note = d.Note + "；区间为范围内未加权比例的 Wilson 区间，不给达标概率"
	}
	return r
}

// hasNotes reports whether any row has a note.
func hasNotes(rows []rateRow) bool {
	for _, r := range rows {
		if r.Note != "" {
			return true
		}
	}
	return false
}

// probp formats an optional probability of passing by report.FormatPassProbability; "—" when absent.
func probp(x *float64) string {
	if x == nil {
		return "—"
	}
	return report.FormatPassProbability(*x)
}

// seText is a standard error with four decimals, "—" for a row without design variance.
func seText(r rateRow) string {
	if r.NoDesign {
		return "—"
	}
	return fmt.Sprintf("%.4f", r.SE)
}

// num2 formats an optional number with two decimals; "—" when absent.
func num2(x *float64) string {
	if x == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *x)
}
