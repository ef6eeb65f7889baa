package render

import (
	"fmt"
	"strings"

	"renke/report"
)

// stuffingView is the stuffing rules' evidence: one row per finding.
type stuffingView struct {
	Ran      bool
	Summary  string // tests, FDR and findings in a sentence
	Findings []findingRow
}

// findingRow is one finding as every format shows it.
type findingRow struct {
	School, Group, Label    string
	Responses, Count        int
	Observed, Expected      string
	P, Q, Seed              string
	Reported, Without, With string
	Change                  string // Without − Reported, in points
	IDs                     []string
	More                    int  // response ids not listed
	Excludes                bool // the rule excludes the responses (else flags only)
}

// findingIDs is how many response ids a report lists per finding; the
// console and the JSON API list them all.
const findingIDs = 12

func newStuffing(in *report.Published, names map[string]schoolInfo) stuffingView {
	var s *report.QualitySummary
	switch {
	case in.Report != nil && in.Report.Quality != nil:
		s = in.Report.Quality
	case in.Quality != nil:
		sum := in.Quality.Summary()
		s = &sum
	}
	if s == nil || s.Stuffing == nil {
		return stuffingView{}
	}
	st := s.Stuffing
	v := stuffingView{Ran: true, Summary: fmt.Sprintf("对各校（及校内各群体）共检验 %d 项，错误发现率控制在 %s（Benjamini–Hochberg），发现 %d 项。"+
		"以下是证据，不是结论：是否剔除由评估人员复核后裁定。", st.Tests, pct0(st.FDR), len(st.Findings))}
	for _, f := range st.Findings {
		row := findingRow{School: schoolName(names, f.School), Group: f.Group.Label(), Label: f.Label,
			Responses: f.Responses, Count: f.Count, Observed: f.Observed, Expected: f.Expected,
			P: pval(f.P), Q: pval(f.Q), Excludes: s.Config.Excludes(f.Rule)}
		if f.Group == "" {
			row.Group = "全校"
		}
		if f.Seed != 0 {
			row.Seed = fmt.Sprint(f.Seed)
		}
		if e := f.Effect; e != nil {
			row.Reported, row.Without, row.With = rateText(e.Reported), rateText(e.Without), rateText(e.With)
			row.Change = fmt.Sprintf("%+.1f 个百分点", 100*(e.Without.Rate-e.Reported.Rate))
		}
		n := min(len(f.ResponseIDs), findingIDs)
		row.IDs, row.More = f.ResponseIDs[:n], len(f.ResponseIDs)-n
		v.Findings = append(v.Findings, row)
	}
	return v
}

// IDList is the listed response ids, with how many more there are.
func (r findingRow) IDList() string {
	s := strings.Join(r.IDs, "、")
	if r.More > 0 {
		s += fmt.Sprintf(" 等（另 %d 份）", r.More)
	}
	return s
}

// EffectText is the effect on the county's rate in a sentence.
func (r findingRow) EffectText() string {
	if r.Reported == "" {
		return ""
	}
	return fmt.Sprintf("报告值 %s；不计这些应答 %s（%s）；计入这些应答 %s", r.Reported, r.Without, r.Change, r.With)
}

func rateText(r report.RateCI) string {
	return fmt.Sprintf("%s [%s, %s]", pct(r.Rate), pct(r.CILow), pct(r.CIHigh))
}

// pval writes a probability: small ones in scientific notation.
func pval(p float64) string {
	switch {
	case p >= 0.001:
		return fmt.Sprintf("%.3f", p)
	case p <= 0:
		return "0"
	}
	return fmt.Sprintf("%.1e", p)
}

// stuffingSetting describes a stuffing rule's parameters in words.
func stuffingSetting(c report.QualityConfig, r report.Rule) string {
	switch r {
	case report.RuleTemplate:
		if !c.Template.Enabled {
			return "未启用"
		}
		return fmt.Sprintf("同校同群体至少 %d 份完全相同且非同一答案的答卷，按独立作答计算其概率", c.Template.MinCluster)
	case report.RuleProxy:
		if !c.Proxy.Enabled {
			return "未启用"
		}
		return fmt.Sprintf("工作日在校时段至少 %d 份家长答卷与本校教师或校长同一网络地址或设备，按全县偶然同址比例计算其概率", c.Proxy.MinShared)
	case report.RuleUniform:
		if !c.Uniform.Enabled {
			return "未启用"
		}
		return fmt.Sprintf("同校同群体至少 %d 份，低于第二档（比较满意／比较认可）的回答过少，或用时集中在中位数 ±%.0f%% 以内过多", c.Uniform.MinResponses, 100*c.Uniform.TimeBand)
	case report.RuleSequence:
		if !c.Sequence.Enabled {
			return "未启用"
		}
		return fmt.Sprintf("一次性码答卷至少 %d 份一个接一个提交（间隔不超过 %s 且大致相等），来自不超过 %d 个网络地址",
			c.Sequence.MinRun, durText(c.Sequence.MaxGap), c.Sequence.MaxAddresses)
	}
	return ""
}

// stuffingMethod is the method text of the stuffing rules: how each
// probability is computed and how false discoveries are controlled.
func stuffingMethod(c report.QualityConfig) section {
	return section{Heading: "作答模式证据（刷票、代填、统一指导作答）", Paras: []string{
		"以下四条规则按学校（及校内各群体）判断，而不是按单份应答判断；每条给出“如果受访者各自独立作答，出现这样的数据有多不寻常”的概率 p，比较对象都是本县自己的数据。",
		"模板作答：同校同群体完全相同、且不是整卷同一选项的答卷，取最大的一组（k 份）。假定 n 份答卷是从全县其他学校同群体的答卷中独立抽取的，任一种答卷出现 k 次以上的概率不超过各种答卷的二项分布尾概率之和 Σ P(Binomial(n, p_v) ≥ k)，p_v 为该答卷在其他学校的出现比例；其他学校只出现过一次的答卷数按 Good–Turing 方法计入未出现过的答卷。用精确的二项尾概率计算，结果偏保守。",
		"代答：工作日 8:00–17:30 提交、且与本校教师或校长使用同一网络地址（密钥散列）或同一设备的家长答卷份数。偶然同址的比例取全县家长答卷与“其他学校”教职工同址的比例（加 1 平滑），在独立作答下份数服从二项分布，p 为其精确尾概率。",
		"异常一致：同校同群体的非同一答案答卷（不含模板作答的雷同组），(a) 低于第二档（比较满意／比较认可）的回答总数过少：其在独立作答下的分布是每份答卷分布的 n 重卷积，每份答卷的分布取自本县其他学校之一，再对各校平均（学校本身有高有低，用全县合并分布会把认可度高的学校误判为异常），精确计算；(b) 用时落在本组中位数 ±" + fmt.Sprintf("%.0f%%", 100*c.Uniform.TimeBand) + " 以内的份数过多：按全县同群体用时落在该区间的比例用二项分布计算。取两者中较小的 p 乘以 2。",
		fmt.Sprintf("一次性码连续使用：同校同群体用一次性码提交的答卷按时间排序，找出最长一段一个接一个提交（相邻间隔不超过 %s、前后间隔相差不超过一半）、来自不超过 %d 个网络地址的连续答卷。保持各份的地址不变、把提交时间换成从全县其他答卷的提交时间中独立抽取，模拟 %d 次，p = (1 + 模拟中同样长或更长的次数) / (1 + 模拟次数)。每个学校的随机种子由调查、学校、群体和规则确定，并写在报告中，任何人都可以重算。",
			durText(c.Sequence.MaxGap), c.Sequence.MaxAddresses, 9999),
		fmt.Sprintf("全县所有学校、群体和规则的检验合在一起，用 Benjamini–Hochberg 方法把错误发现率控制在 %s：把 m 个 p 值从小到大排序，第 i 个的调整值 q = min(p × m / i, 后面各个的 q)，q 不超过该比例的才列出。在没有任何作答模式问题的模拟县中，这保证出现任何一项发现的概率不超过该比例。", pct0(c.FDR)),
		"每项发现给出学校、规则、涉及的应答份数、观察值与独立作答下的期望、p 和 q，以及把这些应答不计入（或计入）时全县总体认可度及其置信区间。默认只标记、不剔除；评估人员可以在控制台逐份查看这些应答（答案、时间、网络地址组和设备组，不显示原始地址），并按人工裁定流程剔除或恢复。",
	}}
}

func pdfStuffing(d *pdfDoc, v *view) {
	s := v.Stuffing
	if !s.Ran {
		return
	}
	d.heading("作答模式证据（按学校，独立作答下的概率）", 11)
	d.para(s.Summary, 10, false, black)
	if len(s.Findings) == 0 {
		d.para("没有学校的作答模式在错误发现率控制下显得不寻常。", 10, false, black)
	}
	for _, f := range s.Findings {
		action := "仅标记"
		if f.Excludes {
			action = "剔除"
		}
		d.para(fmt.Sprintf("· %s，%s：%s（%s），涉及 %d / %d 份，p = %s，q = %s。", f.School, f.Group, f.Label, action, f.Count, f.Responses, f.P, f.Q), 10, true, red)
		d.para(f.Observed+"。"+f.Expected+"。", 9, false, black)
		if f.Seed != "" {
			d.para("模拟种子 "+f.Seed+"。", 9, false, grey)
		}
		if t := f.EffectText(); t != "" {
			d.para("全县总体认可度："+t+"。", 9, false, black)
		}
		d.para("涉及应答："+f.IDList(), 8, false, grey)
	}
}

func xlsxStuffing(b *xlsxBook, v *view) {
	s := v.Stuffing
	if !s.Ran {
		return
	}
	rows := [][]any{}
	for _, f := range s.Findings {
		rows = append(rows, []any{f.School, f.Group, f.Label, yesNo(f.Excludes), f.Count, f.Responses, f.Observed, f.Expected,
			f.P, f.Q, f.Seed, f.Reported, f.Without, f.With, strings.Join(f.IDs, " ") + moreText(f.More)})
	}
	if len(rows) == 0 {
		rows = append(rows, []any{s.Summary})
	}
	b.sheet("质量-作答模式", []xcol{{"学校", 0, 28}, {"群体", 0, 8}, {"规则", 0, 18}, {"剔除", 0, 6}, {"涉及", 0, 6}, {"应答", 0, 6},
		{"观察", fmtWrap, 40}, {"独立作答下", fmtWrap, 40}, {"p", 0, 9}, {"q", 0, 9}, {"模拟种子", 0, 20},
		{"全县认可度（报告）", 0, 22}, {"不计这些应答", 0, 22}, {"计入这些应答", 0, 22}, {"涉及应答", fmtWrap, 60}}, rows)
}

func moreText(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" 等（另 %d 份）", n)
}
