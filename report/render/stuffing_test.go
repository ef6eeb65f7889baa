package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renke/report"
	"renke/survey"
)

// stuffedFixture is the test county with a "model answer" planted among the
// parents of one school: ten of them send one mixed sheet.
func stuffedFixture(t *testing.T) (*report.Published, string) {
	t.Helper()
	in := fixture(t)
	school := in.Plan.Schools[2].SchoolCode
	rs := append([]survey.Response(nil), in.Responses...)
	planted := 0
	for i := range rs {
		r := &rs[i]
		if r.School != school || r.Group != survey.Parent || planted == 10 {
			continue
		}
		model := map[string]string{}
		for k, it := range in.Survey.Forms[r.Form].Items {
			model[it.ID] = survey.OptRecognise
			if k == 1 {
				model[it.ID] = survey.OptRatherAgree
			}
		}
		r.Answers = model
		planted++
	}
	if planted < 10 {
		t.Fatalf("school %s has %d parents", school, planted)
	}
	return finish(t, in.Survey, in.Frame, in.Plan, rs), school
}

// Every format carries the stuffing evidence: school, rule, p and q, the
// county's rate without the responses, and the responses.
func TestStuffingEvidenceInEveryFormat(t *testing.T) {
	in, school := stuffedFixture(t)
	if in.Report == nil || in.Report.Quality == nil || in.Report.Quality.Stuffing == nil {
		t.Fatal("no report quality section")
	}
	var f *report.Finding
	for i, x := range in.Report.Quality.Stuffing.Findings {
		if x.Rule == report.RuleTemplate && x.School == school {
			f = &in.Report.Quality.Stuffing.Findings[i]
		}
	}
	if f == nil || f.Count != 10 || f.Effect == nil || f.Effect.Without.N != f.Effect.Reported.N-10 {
		t.Fatalf("template finding %+v among %+v", f, in.Report.Quality.Stuffing.Findings)
	}
	v := newView(in)
	var row findingRow
	for _, r := range v.Stuffing.Findings {
		if r.Label == report.RuleTemplate.Label() {
			row = r
		}
	}
	want := []string{"作答模式证据", row.School, "模板作答（雷同答卷）", row.P, row.Without, f.ResponseIDs[0]}

	var html bytes.Buffer
	if err := HTML(&html, in); err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := PDF(&pdf, in); err != nil {
		t.Fatal(err)
	}
	var book bytes.Buffer
	if err := XLSX(&book, in); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&book)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("质量-作答模式")
	if err != nil || len(rows) < 2 {
		t.Fatalf("sheet 质量-作答模式: %v %v", rows, err)
	}
	sheet := ""
	for _, r := range rows[1:] {
		if strings.Contains(strings.Join(r, "|"), row.Label) {
			sheet = strings.Join(r, "|")
		}
	}
	// pdftotext breaks long lines: compare without whitespace.
	flat := func(s string) string { return strings.Join(strings.Fields(s), "") }
	text := flat(pdfText(t, pdf.Bytes()))
	for _, w := range want {
		if !strings.Contains(html.String(), w) {
			t.Errorf("HTML lacks %q", w)
		}
		if !strings.Contains(text, flat(w)) {
			t.Errorf("PDF lacks %q", w)
		}
		if w != "作答模式证据" && !strings.Contains(sheet, w) {
			t.Errorf("Excel row lacks %q: %s", w, sheet)
		}
	}
	if !strings.Contains(text, flat("Benjamini–Hochberg")) {
		t.Error("the PDF's method section does not say how false discoveries are controlled")
	}
}
