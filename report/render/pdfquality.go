package render

import (
	"fmt"

	"renke/report"
)

func pdfQuality(d *pdfDoc, v *view) {
	q := v.Quality
	d.heading(v.Sections["quality"], 14)
	if !q.Ran {
		d.para("未运行数据质量检查。", 10, false, black)
		return
	}
	o := q.Overrides
	d.para(fmt.Sprintf("检查应答 %d 份，被规则标记 %d 份，最终剔除 %d 份。人工裁定 %d 项：维持规则结论 %d 项，另行剔除 %d 项，恢复 %d 项。",
		q.Responses, q.Flagged, q.Exclude, o.Applied, o.Confirmed, o.Excluded, o.Reinstated), 10, false, black)
	t := pdfTable{cols: cols(3, []string{"规则", "条件", "处理", "标记", "剔除"}, 2.2, 4, 1.4, 1, 1)}
	for _, r := range q.Rules {
		t.add(false, r.Label, r.Setting, r.Action, fmt.Sprint(r.Flagged), fmt.Sprint(r.Excluded))
	}
	d.table(t)
	d.heading("作答模式可疑的学校", 11)
	if len(q.Suspects) == 0 {
		d.para("没有学校达到可疑条件。", 10, false, black)
	}
	for _, s := range q.Suspects {
		d.para(fmt.Sprintf("· %s：应答 %d 份，被标记 %d 份（%s）：%s。", s.Name, s.Responses, s.Flagged, pct(s.Share), s.Reason), 10, false, red)
	}
	d.para(q.Criterion, 9, false, grey)
	pdfStuffing(d, v)
	d.heading("各校标记情况（标记比例由高到低）", 11)
	heads := append([]string{"学校", "应答", "标记", "剔除", "比例"}, q.RuleLabels...)
	widths := []float64{3.4, 0.9, 0.9, 0.9, 1}
	for range q.RuleLabels {
		widths = append(widths, 0.9)
	}
	st := pdfTable{cols: cols(1, heads, widths...)}
	for _, s := range q.Schools {
		cells := []string{s.Name, fmt.Sprint(s.Responses), fmt.Sprint(s.Flagged), fmt.Sprint(s.Excluded), pct(s.Share)}
		for _, n := range s.ByRule {
			cells = append(cells, fmt.Sprint(n))
		}
		st.add(s.Suspect, cells...)
	}
	d.table(st)
}

func pdfMethod(d *pdfDoc, v *view) {
	d.heading(v.Sections["method"], 14)
	for _, s := range v.Method {
		d.heading(s.Heading, 11)
		for _, p := range s.Paras {
			d.para(p, 9.5, false, black)
		}
	}
	d.heading(v.Sections["chain"], 14)
	d.para(fmt.Sprintf("应答 %d 条，哈希链链头：", v.Chain.Length), 10, false, black)
	d.para(v.Chain.Head, 9.5, true, black)
	if v.Chain.Error != "" {
		d.para("校验未通过："+v.Chain.Error, 10, true, red)
	}
	for _, p := range v.Chain.Verify {
		d.para(p, 9.5, false, black)
	}
	pdfAudit(d, v)
	if len(v.Cells) > 0 {
		d.heading("附录：加权单元", 11)
		t := pdfTable{cols: cols(1, []string{"加权单元", "抽样框人数 N_c", "有效应答 n_c", "权重 w"}, 3, 1.5, 1.5, 1.2)}
		for _, c := range v.Cells {
			frame := "—"
			if c.Frame != nil {
				frame = fmt.Sprintf("%.0f", *c.Frame)
			}
			t.add(false, report.CellLabel(c.Cell), frame, fmt.Sprint(c.N), fmt.Sprintf("%.2f", c.Weight))
		}
		d.table(t)
	}
}
