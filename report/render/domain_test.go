package render

import (
	"bytes"
	"encoding/json"
	"html"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renke/report"
	"renke/survey"
)

// oneSchoolFixture is the fixture with the first drawn school moved to a
// township of its own, 独校镇: a domain of one PSU.
func oneSchoolFixture(t *testing.T) (*report.Published, report.DomainRow) {
	t.Helper()
	in := fixture(t)
	code := in.Plan.Schools[0].SchoolCode
	rs := append([]survey.Response(nil), in.Responses...)
	for i := range rs {
		if rs[i].School == code {
			rs[i].Township = "独校镇"
		}
	}
	in = finish(t, in.Survey, in.Frame, in.Plan, rs)
	for _, d := range in.Report.Townships {
		if d.Key == "独校镇" {
			if d.Estimable || d.Note != report.NoteOneSchool {
				t.Fatalf("独校镇 is estimated as a design domain: %+v", d)
			}
			return in, d
		}
	}
	t.Fatal("no row for 独校镇")
	return nil, report.DomainRow{}
}

// TestOneSchoolTownshipInEveryFormat: HTML, PDF, Excel and JSON say that the
// design gives a one-school township no interval, show its Wilson interval
// and no standard error or probability of passing.
func TestOneSchoolTownshipInEveryFormat(t *testing.T) {
	in, d := oneSchoolFixture(t)
	wilson := pct(d.CILow) + " – " + pct(d.CIHigh)

	page := string(htmlOf(t, in))
	i := strings.Index(page, "<td>独校镇</td>")
	if i < 0 {
		t.Fatal("HTML has no row for 独校镇")
	}
	row := page[i : i+strings.Index(page[i:], "</tr>")]
	for _, want := range []string{report.NoteOneSchool, wilson, `<td class="n">—</td>`} {
		if !strings.Contains(row, want) {
			t.Errorf("HTML row %s lacks %q", row, want)
		}
	}

	text := strings.Join(strings.Fields(pdfText(t, pdfOf(t, in))), "")
	for _, want := range []string{"仅1所样本学校", strings.ReplaceAll(wilson, " ", "")} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}

	f, err := excelize.OpenReader(bytes.NewReader(xlsxOf(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := findRow(t, f, "乡镇", "独校镇")
	cells, err := f.GetRows("乡镇")
	if err != nil {
		t.Fatal(err)
	}
	got := cells[r-1]
	if !strings.HasPrefix(got[1], report.NoteOneSchool) || got[3] != "—" {
		t.Errorf("Excel row %v: want the note and no standard error", got)
	}
	if lo := rawFloat(t, f, "乡镇", "E"+itoa(r)); !same(lo, d.CILow) {
		t.Errorf("Excel lower bound %v, Wilson %v", lo, d.CILow)
	}

	b, err := json.Marshal(in.Report)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"key":"独校镇"`) || !strings.Contains(string(b), `"estimable":false,"note":"`+report.NoteOneSchool) {
		t.Errorf("JSON does not mark 独校镇 as without design variance")
	}
}

// TestOneRoundingOfThePassProbability: the HTML, PDF and Excel summary give
// the probability of passing by report.FormatPassProbability.
func TestOneRoundingOfThePassProbability(t *testing.T) {
	in := fixture(t)
	p := in.Report.Overall.PassProbability
	if p == nil {
		t.Fatal("the fixture has no probability of passing")
	}
	want := report.FormatPassProbability(*p)
	if !strings.Contains(string(htmlOf(t, in)), "的概率："+html.EscapeString(want)) {
		t.Errorf("HTML does not say %q", want)
	}
	if text := pdfText(t, pdfOf(t, in)); !strings.Contains(strings.Join(strings.Fields(text), ""), "的概率："+strings.ReplaceAll(want, " ", "")) {
		t.Errorf("PDF does not say %q", want)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsxOf(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := rawCell(t, f, SheetSummary, "B"+itoa(findRow(t, f, SheetSummary, "达标概率"))); got != want {
		t.Errorf("Excel summary says %q, want %q", got, want)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
