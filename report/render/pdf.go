package render

import (
	"fmt"
	"io"

	"renke/report"
	"renke/report/chart"
)

// pngDPI is the resolution of the charts in the PDF.
const pngDPI = 200

// PDF writes the report as an A4 PDF with the fonts embedded (subsets) and
// the charts as PNG images.
func PDF(w io.Writer, in *report.Published) error {
	if err := checkInput(in); err != nil {
		return err
	}
	v := newView(in)
	cs, err := makeCharts(v)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	d, err := newPDFDoc(v.County+"社会认可度调查报告", "renke "+v.Version, in.Generated)
	if err != nil {
		return err
	}
	d.figure = func(f *chart.Figure) {
		if f == nil {
			return
		}
		png, err := f.PNG(pngDPI)
		if err != nil {
			d.fail(err)
			return
		}
		d.image(png, f.Width.Points(), f.Height.Points())
	}
	pdfFront(d, v, cs)
	pdfSample(d, v)
	if v.HasData {
		pdfRates(d, v, cs)
	}
	pdfQuality(d, v)
	pdfMethod(d, v)
	return d.finish(w, fmt.Sprintf("%s · 调查编号 %s · renke %s · 生成于 %s", v.County, v.SurveyID, v.Version, v.Generated))
}

// figH is a figure's height on the page in millimetres (30 without one).
func figH(f *chart.Figure) float64 {
	if f == nil {
		return 30
	}
	return min(f.Height.Points()*ptToMM, pageH-marginTop-marginBottom-20)
}

func pdfFront(d *pdfDoc, v *view, cs *chartSet) {
	d.para(v.County+" 义务教育优质均衡发展社会认可度调查报告", 17, true, black)
	d.para(v.Title+" · 调查编号 "+v.SurveyID, 9, false, grey)
	d.para("生成时间 "+v.Generated+" · 软件版本 renke "+v.Version, 9, false, grey)
	d.y += 2
	word, head, lines, rgb := "无结论", v.NoData+"。", []string{fmt.Sprintf("收到应答 %d 份，其中有效 %d 份。有效应答出现后重新生成报告即可得到认可度和结论。", v.Sample.Received, v.Sample.Valid)}, grey
	if v.HasData {
		word, head, lines, rgb = v.Verdict.Word, v.Verdict.Headline, v.Verdict.Lines, red
		if v.Verdict.Passed {
			rgb = blue
		}
	}
	// The verdict box: a coloured rule, the word large, then the lines.
	d.style(10, false, black)
	var wrapped []string
	for _, l := range lines {
		wrapped = append(wrapped, d.wrap(l, textW-10)...)
	}
	d.style(12, true, black)
	headLines := d.wrap(head, textW-10)
	h := 12 + float64(len(headLines))*d.lineH() + float64(len(wrapped))*10*ptToMM*1.45 + 4
	d.room(h)
	d.gp.SetFillColor(0xf7, 0xfa, 0xfc)
	d.gp.RectFromUpperLeftWithStyle(marginX, d.y, textW, h, "F")
	d.gp.SetFillColor(rgb[0], rgb[1], rgb[2])
	d.gp.RectFromUpperLeftWithStyle(marginX, d.y, 2.2, h, "F")
	top := d.y
	d.y += 3
	d.style(20, true, rgb)
	d.text(marginX+6, d.y, word)
	d.y += 9
	d.style(12, true, black)
	for _, l := range headLines {
		d.text(marginX+6, d.y, l)
		d.y += d.lineH()
	}
	d.style(10, false, black)
	for _, l := range wrapped {
		d.text(marginX+6, d.y, l)
		d.y += d.lineH()
	}
	d.y = top + h + 4
	if len(v.Warnings) > 0 {
		d.heading("需要注意", 11)
		for _, w := range v.Warnings {
			d.para("· "+w, 9.5, false, red)
		}
	}
	d.figure(cs.Overall)
	if len(v.Weakest) > 0 {
		d.heading("拉低认可度最多的方面", 11)
		t := pdfTable{cols: cols(2, []string{"类别", "名称", "认可度", "有效样本"}, 1, 5, 1.2, 1.2)}
		for _, w := range v.Weakest {
			t.add(true, w.Kind, w.Label, pct(w.Rate), fmt.Sprint(w.N))
		}
		d.table(t)
	}
}

func sampleTable(head string, plan bool, rows []sampleRow) pdfTable {
	if !plan {
		t := pdfTable{cols: cols(1, []string{head, "收到", "有效"}, 4, 1, 1)}
		for _, r := range rows {
			t.add(false, r.Label, fmt.Sprint(r.Received), fmt.Sprint(r.Valid))
		}
		return t
	}
	t := pdfTable{cols: cols(1, []string{head, "计划", "收到", "有效", "完成率"}, 4, 1, 1, 1, 1)}
	for _, r := range rows {
		fill := "—"
		if r.Planned > 0 {
			fill = pct(r.Fill)
		}
		t.add(r.Fill < 0.9, r.Label, fmt.Sprint(r.Planned), fmt.Sprint(r.Received), fmt.Sprint(r.Valid), fill)
	}
	return t
}

func pdfSample(d *pdfDoc, v *view) {
	s := v.Sample
	d.heading(v.Sections["sample"], 14)
	if s.HasPlan {
		d.para(fmt.Sprintf("计划样本 %d 人，收到应答 %d 份（完成率 %s），有效 %d 份。完成率为收到份数与计划人数之比。抽样随机种子 %d。", s.Planned, s.Received, pct(s.Fill), s.Valid, s.Seed), 10, false, black)
	} else {
		d.para(fmt.Sprintf("未找到抽样方案，下表只列收到的应答。共收到 %d 份，有效 %d 份。", s.Received, s.Valid), 10, false, black)
	}
	d.table(sampleTable("群体", s.HasPlan, s.Groups))
	d.table(sampleTable("城乡（不含人大代表、政协委员）", s.HasPlan, s.Urbanicities))
	d.table(sampleTable("群体 · 学段", s.HasPlan, s.Bands))
	d.table(sampleTable("全县名单抽取的群体", true, s.County))
	if len(s.Schools) > 0 {
		d.heading("各校配额完成情况（完成率由低到高）", 11)
		d.para(s.SchoolSummary, 10, false, black)
		t := pdfTable{cols: cols(3, []string{"学校", "乡镇", "城乡", "配额", "收到", "有效", "完成率"}, 4, 1.6, 1, 1, 1, 1, 1.2)}
		for _, r := range s.Schools {
			t.add(r.Fill < 0.9, r.Name, r.Township, string(r.Urbanicity), fmt.Sprint(r.Planned), fmt.Sprint(r.Received), fmt.Sprint(r.Valid), pct(r.Fill))
		}
		d.table(t)
	}
	if len(s.OutOfPlan) > 0 {
		d.heading("计划外发放的访问码", 11)
		t := pdfTable{cols: cols(4, []string{"时间", "发放人", "访问码", "理由"}, 1.6, 1.4, 3, 3)}
		for _, r := range s.OutOfPlan {
			t.add(false, r.When, r.Actor, r.What, r.Reason)
		}
		d.table(t)
	}
}

// rateTable lists rows with their intervals; with notes, a column for them.
func rateTable(head string, notes bool, rows []rateRow) pdfTable {
	heads := []string{head, "认可度", "95%置信区间", "标准误", "有效样本", "设计效应"}
	widths := []float64{4, 1.2, 2.2, 1.2, 1.2, 1.2}
	left := 1
	if notes {
		heads = append([]string{head, "说明"}, heads[1:]...)
		widths = append([]float64{4, 2.2}, widths[1:]...)
		left = 2
	}
	t := pdfTable{cols: cols(left, heads, widths...)}
	for _, r := range rows {
		cells := []string{r.Label, pct(r.Rate), pct(r.CILow) + " – " + pct(r.CIHigh), seText(r), fmt.Sprint(r.N), num2(r.Deff)}
		if notes {
			cells = append([]string{r.Label, r.Note}, cells[1:]...)
		}
		t.add(r.Below, cells...)
	}
	return t
}

func pdfRates(d *pdfDoc, v *view, cs *chartSet) {
	d.headingKeep(v.Sections["groups"], 14, figH(cs.Groups)+10)
	d.para("由低到高排列，低于达标线的标为红色。", 9, false, grey)
	d.figure(cs.Groups)
	d.table(rateTable("群体", true, v.Groups))
	d.headingKeep(v.Sections["dimensions"], 14, figH(cs.Dimensions))
	d.figure(cs.Dimensions)
	d.table(rateTable("维度", false, v.Dimensions))
	if len(v.DimGroups.Groups) > 0 {
		d.heading("维度 × 群体", 11)
		heads := append([]string{"维度"}, v.DimGroups.Groups...)
		widths := []float64{2.2}
		for range v.DimGroups.Groups {
			widths = append(widths, 1)
		}
		t := pdfTable{cols: cols(1, heads, widths...)}
		for _, r := range v.DimGroups.Rows {
			cells := []string{r.Dimension}
			low := false
			for _, x := range r.Rates {
				cells = append(cells, pctp(x))
				low = low || (x != nil && *x < v.Bar)
			}
			t.add(low, cells...)
		}
		d.table(t)
	}
	d.heading(v.Sections["items"], 14)
	d.table(rateTable("题目", true, v.Items))
	d.heading(v.Sections["areas"], 14)
	d.table(rateTable("城乡", hasNotes(v.Urbanicities), v.Urbanicities))
	d.table(rateTable("乡镇", hasNotes(v.Townships), v.Townships))
	var first *chart.Figure
	if len(cs.Schools) > 0 {
		first = cs.Schools[0]
	}
	d.headingKeep(v.Sections["schools"], 14, figH(first)+10)
	d.para("一所学校只是一个初级抽样单位，校内认可度按未加权比例给出 Wilson 95% 区间；“加权”列为按权重计算的认可度。", 9, false, grey)
	for _, f := range cs.Schools {
		d.figure(f)
	}
	t := pdfTable{cols: cols(2, []string{"学校", "乡镇 · 城乡", "认可度", "Wilson 95%区间", "加权", "有效样本"}, 3.6, 2, 1.1, 2.2, 1.1, 1.1)}
	for _, r := range v.Schools {
		t.add(r.Below, r.Label, r.Note, pct(r.Rate), pct(r.CILow)+" – "+pct(r.CIHigh), pct(r.Weighted), fmt.Sprint(r.N))
	}
	d.table(t)
}
