package render

import (
	"fmt"
	"strings"

	"renke/report"
)

// Sheet names; tests and users find the numbers by them.
const (
	SheetSummary = "结论"
	SheetGroups  = "群体"
)

// kv is one line of the summary sheet.
type kv struct {
	label  string
	value  any
	format int
}

func xlsxSummary(b *xlsxBook, v *view) {
	rows := []kv{{"区县", v.County, 0}, {"调查", v.Title, 0}, {"调查编号", v.SurveyID, 0}}
	if v.HasData {
		o := v.Verdict.Overall
		rows = append(rows, kv{"结论", o.Verdict, 0}, kv{"总体认可度", o.Rate, fmtPct}, kv{"标准误", o.SE, fmtSE},
			kv{"95%下限", o.CILow, fmtPct}, kv{"95%上限", o.CIHigh, fmtPct}, kv{"自由度", o.DF, 0},
			kv{"达标线", o.Bar, fmtPct}, kv{"整个区间高于达标线", yesNo(o.CIClearsBar), 0},
			kv{"达标概率", probp(o.PassProbability), 0}, kv{"设计效应", o.Deff, fmtDec2},
			kv{"说明", v.Verdict.Headline + strings.Join(v.Verdict.Lines, ""), fmtWrap})
	} else {
		rows = append(rows, kv{"结论", "无结论", 0}, kv{"说明", v.NoData, fmtWrap})
	}
	rows = append(rows, kv{"收到应答", v.Sample.Received, 0}, kv{"有效应答", v.Sample.Valid, 0},
		kv{"剔除应答", v.Quality.Exclude, 0}, kv{"哈希链长度", v.Chain.Length, 0}, kv{"哈希链链头", v.Chain.Head, 0},
		kv{"软件版本", v.Version, 0}, kv{"生成时间", v.Generated, 0})
	for _, w := range v.Warnings {
		rows = append(rows, kv{"注意", w, fmtWrap})
	}
	b.sheet(SheetSummary, []xcol{{"项目", 0, 18}, {"数值", 0, 90}}, nil)
	for i, r := range rows {
		b.row(SheetSummary, i+2, []any{r.label, r.value})
		if s, ok := b.styles[r.format]; ok {
			cell := fmt.Sprintf("B%d", i+2)
			b.fail(b.f.SetCellStyle(SheetSummary, cell, cell, s))
		}
	}
}

func sampleRows(section string, rows []sampleRow) [][]any {
	var out [][]any
	for _, r := range rows {
		var planned, fill any
		if r.HasPlan {
			planned = r.Planned
			if r.Planned > 0 {
				fill = r.Fill
			}
		}
		out = append(out, []any{section, r.Label, planned, r.Received, r.Valid, fill})
	}
	return out
}

func xlsxSample(b *xlsxBook, v *view) {
	s := v.Sample
	var rows [][]any
	rows = append(rows, sampleRows("群体", s.Groups)...)
	rows = append(rows, sampleRows("城乡", s.Urbanicities)...)
	rows = append(rows, sampleRows("学段", s.Bands)...)
	rows = append(rows, sampleRows("全县名单", s.County)...)
	b.sheet("样本", []xcol{{"分类", 0, 10}, {"类别", 0, 30}, {"计划", 0, 8}, {"收到", 0, 8}, {"有效", 0, 8}, {"完成率", fmtPct, 9}}, rows)
	if len(s.Schools) == 0 {
		return
	}
	rows = rows[:0]
	for _, r := range s.Schools {
		rows = append(rows, []any{r.Code, r.Name, r.Township, string(r.Urbanicity), r.Planned, r.Received, r.Valid, r.Fill})
	}
	b.sheet("配额", []xcol{{"学校代码", 0, 10}, {"学校", 0, 30}, {"乡镇", 0, 12}, {"城乡", 0, 8}, {"配额", 0, 8},
		{"收到", 0, 8}, {"有效", 0, 8}, {"完成率", fmtPct, 9}}, rows)
}

func xlsxRates(b *xlsxBook, v *view) {
	b.rateSheet(SheetGroups, []xcol{{"代码", 0, 10}, {"群体", 0, 12}, {"群体权重", fmtPct, 9}}, v.Groups, func(r rateRow) []any {
		return []any{r.Key, r.Label, r.GroupWeight}
	})
	b.rateSheet("维度", []xcol{{"维度", 0, 14}}, v.Dimensions, func(r rateRow) []any { return []any{r.Label} })
	heads := []xcol{{"维度", 0, 14}}
	for _, g := range v.DimGroups.Groups {
		heads = append(heads, xcol{g, fmtPct, 9})
	}
	var rows [][]any
	for _, r := range v.DimGroups.Rows {
		cells := []any{r.Dimension}
		for _, x := range r.Rates {
			cells = append(cells, x)
		}
		rows = append(rows, cells)
	}
	b.sheet("维度×群体", heads, rows)
	b.rateSheet("题目", []xcol{{"代码", 0, 12}, {"题目", fmtWrap, 50}, {"问卷 · 维度", 0, 24}}, v.Items, func(r rateRow) []any {
		return []any{r.Key, r.Label, r.Note}
	})
	b.rateSheet("城乡", []xcol{{"城乡", 0, 8}, {"说明", fmtWrap, 30}}, v.Urbanicities, func(r rateRow) []any { return []any{r.Label, r.Note} })
	b.rateSheet("乡镇", []xcol{{"乡镇", 0, 14}, {"说明", fmtWrap, 30}}, v.Townships, func(r rateRow) []any { return []any{r.Label, r.Note} })
	rows = rows[:0]
	for _, r := range v.Schools {
		rows = append(rows, []any{r.Key, r.Label, r.Note, r.Rate, r.CILow, r.CIHigh, r.Weighted, r.SE, r.N, yesNo(r.Below)})
	}
	b.sheet("学校", []xcol{{"学校代码", 0, 10}, {"学校", 0, 30}, {"乡镇 · 城乡", 0, 16}, {"认可度（未加权）", fmtPct, 10},
		{"Wilson下限", fmtPct, 10}, {"Wilson上限", fmtPct, 10}, {"加权认可度", fmtPct, 10}, {"标准误", fmtSE, 9},
		{"有效样本", 0, 9}, {"低于达标线", 0, 10}}, rows)
	rows = rows[:0]
	for _, c := range v.Cells {
		rows = append(rows, []any{report.CellLabel(c.Cell), c.Group.Label(), c.Frame, c.N, c.Weight})
	}
	b.sheet("权重", []xcol{{"加权单元", 0, 28}, {"群体", 0, 10}, {"抽样框人数 N_c", 0, 14}, {"有效应答 n_c", 0, 12}, {"权重 w", fmtDec2, 10}}, rows)
}

func xlsxQuality(b *xlsxBook, v *view) {
	q := v.Quality
	if !q.Ran {
		return
	}
	var rows [][]any
	for _, r := range q.Rules {
		rows = append(rows, []any{r.Label, r.Setting, r.Action, r.Flagged, r.Excluded})
	}
	b.sheet("质量规则", []xcol{{"规则", 0, 20}, {"条件", 0, 44}, {"处理", 0, 12}, {"标记", 0, 8}, {"剔除", 0, 8}}, rows)
	heads := []xcol{{"学校代码", 0, 10}, {"学校", 0, 30}, {"应答", 0, 8}, {"标记", 0, 8}, {"剔除", 0, 8}, {"标记比例", fmtPct, 9}}
	for _, l := range q.RuleLabels {
		heads = append(heads, xcol{l, 0, 12})
	}
	heads = append(heads, xcol{"可疑", 0, 8}, xcol{"标记情况", 0, 50})
	rows = rows[:0]
	for _, s := range q.Schools {
		cells := []any{s.Code, s.Name, s.Responses, s.Flagged, s.Excluded, s.Share}
		for _, n := range s.ByRule {
			cells = append(cells, n)
		}
		rows = append(rows, append(cells, yesNo(s.Suspect), s.Reason))
	}
	b.sheet("质量-学校", heads, rows)
}

func xlsxMethod(b *xlsxBook, v *view) {
	var rows [][]any
	for _, s := range v.Method {
		for _, p := range s.Paras {
			rows = append(rows, []any{s.Heading, p})
		}
	}
	rows = append(rows, []any{"哈希链", fmt.Sprintf("应答 %d 条，链头 %s", v.Chain.Length, v.Chain.Head)})
	for _, p := range v.Chain.Verify {
		rows = append(rows, []any{"验证方法", p})
	}
	b.sheet("方法", []xcol{{"部分", 0, 16}, {"说明", fmtWrap, 100}}, rows)
}
