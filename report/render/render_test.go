package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"

	"renke/report"
	"renke/survey"
)

// screenshots is where tests leave images for a person to look at (git-ignored).
var screenshots = filepath.Join("..", "..", "screenshots")

func render(t testing.TB, f func(w *bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func htmlOf(t testing.TB, in *report.Published) []byte {
	return render(t, func(w *bytes.Buffer) error { return HTML(w, in) })
}

func pdfOf(t testing.TB, in *report.Published) []byte {
	return render(t, func(w *bytes.Buffer) error { return PDF(w, in) })
}

func xlsxOf(t testing.TB, in *report.Published) []byte {
	return render(t, func(w *bytes.Buffer) error { return XLSX(w, in) })
}

// coachedSchool is the school the fixture fills with identical sheets in a burst.
func coachedSchool(in *report.Published) string {
	return schoolName(schoolsOf(in), in.Plan.Schools[1].SchoolCode)
}

func TestHTMLIsSelfContained(t *testing.T) {
	in := fixture(t)
	b := htmlOf(t, in)
	z := html.NewTokenizer(bytes.NewReader(b))
	svgs := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		name, hasAttr := z.TagName()
		switch string(name) {
		case "script", "link", "iframe", "object", "img":
			t.Errorf("HTML has a <%s> element", name)
		case "svg":
			if tt == html.StartTagToken {
				svgs++
			}
		}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if (string(k) == "src" || string(k) == "href") && !strings.HasPrefix(string(v), "#") {
				t.Errorf("HTML refers outside itself: %s=%q", k, v)
			}
		}
	}
	if strings.Contains(string(b), "url(") {
		t.Error("CSS loads a URL")
	}
	// The overall, group and dimension charts, and one school plot per 40 schools.
	want := 3 + (len(in.Report.Schools)+schoolsPerChart-1)/schoolsPerChart
	if svgs != want {
		t.Errorf("%d SVG charts, want %d", svgs, want)
	}
	s := string(b)
	o := in.Report.Overall
	for _, want := range []string{in.Survey.County, o.Verdict, "总体认可度 " + pct(o.Rate), pct(o.CILow) + " – " + pct(o.CIHigh),
		in.Report.ChainHead, "renke verify --survey " + in.Survey.ID, coachedSchool(in), "v1.2.3-test"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if i, j := strings.Index(s, `id="verdict"`), strings.Index(s, `id="sample"`); i < 0 || j < i {
		t.Error("the verdict does not come before the sample section")
	}
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils): cannot read the PDF's text")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// savePDFPage keeps the first page as a PNG under screenshots/.
func savePDFPage(t *testing.T, pdf []byte, name string) {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Log("pdftoppm not installed: no screenshot of the PDF")
		return
	}
	path := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(screenshots, 0o755); err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs(filepath.Join(screenshots, name))
	if out, err := exec.Command("pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", path, abs).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
}

func TestPDFText(t *testing.T) {
	in := fixture(t)
	b := pdfOf(t, in)
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
	}
	text := pdfText(t, b)
	savePDFPage(t, b, "report-pdf-page1")
	o := in.Report.Overall
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range []string{in.Survey.County, o.Verdict, "总体认可度" + pct(o.Rate), in.Report.ChainHead,
		coachedSchool(in), "第1/"} {
		if !strings.Contains(flat, strings.ReplaceAll(want, " ", "")) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	// Every group's rate is printed.
	for _, g := range in.Report.Groups {
		if !strings.Contains(flat, g.Label) || !strings.Contains(flat, pct(g.Rate)) {
			t.Errorf("PDF text lacks group %s at %s", g.Label, pct(g.Rate))
		}
	}
	if strings.ContainsAny(text, "?\uFFFD") {
		t.Error("PDF text has characters no font could set")
	}
}

// rawCell reads a cell's stored value, not its formatted text.
func rawCell(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// same reports whether an Excel number equals a float64 to Excel's precision
// (15 significant digits, truncated).
func same(excel, want float64) bool { return math.Abs(excel-want) <= 1e-14*math.Abs(want) }

func rawFloat(t *testing.T, f *excelize.File, sheet, cell string) float64 {
	t.Helper()
	x, err := strconv.ParseFloat(rawCell(t, f, sheet, cell), 64)
	if err != nil {
		t.Fatalf("%s!%s is not a number: %v", sheet, cell, err)
	}
	return x
}

// findRow returns the row number whose column A holds key.
func findRow(t *testing.T, f *excelize.File, sheet, key string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == key {
			return i + 1
		}
	}
	t.Fatalf("sheet %s has no row %q", sheet, key)
	return 0
}

func numFmt(t *testing.T, f *excelize.File, sheet, cell string) string {
	t.Helper()
	id, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil {
		return ""
	}
	return *st.CustomNumFmt
}

func TestXLSXHoldsTheJSONNumbers(t *testing.T) {
	in := fixture(t)
	// The numbers as `renke report --format json` prints them.
	js, err := json.Marshal(in.Report)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(js, &rep); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(xlsxOf(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := findRow(t, f, SheetSummary, "总体认可度")
	if got := rawFloat(t, f, SheetSummary, fmt.Sprint("B", r)); !same(got, rep.Overall.Rate) {
		t.Errorf("overall rate %v, JSON %v", got, rep.Overall.Rate)
	}
	if got := numFmt(t, f, SheetSummary, fmt.Sprint("B", r)); got != "0.0%" {
		t.Errorf("overall rate formatted %q, want 0.0%%", got)
	}
	r = findRow(t, f, SheetSummary, "标准误")
	if got := rawFloat(t, f, SheetSummary, fmt.Sprint("B", r)); !same(got, rep.Overall.SE) {
		t.Errorf("overall SE %v, JSON %v", got, rep.Overall.SE)
	}
	r = findRow(t, f, SheetSummary, "结论")
	if got := rawCell(t, f, SheetSummary, fmt.Sprint("B", r)); got != rep.Overall.Verdict {
		t.Errorf("verdict %q, JSON %q", got, rep.Overall.Verdict)
	}
	prev := -1.0
	for _, g := range rep.Groups {
		r := findRow(t, f, SheetGroups, string(g.Group))
		// Columns: code, label, weight, rate, SE, low, high, n.
		if got := rawFloat(t, f, SheetGroups, fmt.Sprint("D", r)); !same(got, g.Rate) {
			t.Errorf("group %s rate %v, JSON %v", g.Group, got, g.Rate)
		}
		if got := rawFloat(t, f, SheetGroups, fmt.Sprint("E", r)); !same(got, g.SE) {
			t.Errorf("group %s SE %v, JSON %v", g.Group, got, g.SE)
		}
		if got := rawCell(t, f, SheetGroups, fmt.Sprint("H", r)); got != fmt.Sprint(g.N) {
			t.Errorf("group %s n %s, JSON %d", g.Group, got, g.N)
		}
		if got := numFmt(t, f, SheetGroups, fmt.Sprint("D", r)); got != "0.0%" {
			t.Errorf("group rate formatted %q", got)
		}
	}
	// Rows run from the weakest up.
	for i := range rep.Groups {
		x := rawFloat(t, f, SheetGroups, fmt.Sprint("D", i+2))
		if x < prev {
			t.Errorf("group sheet row %d (%v) below the row above (%v)", i+2, x, prev)
		}
		prev = x
	}
	sheets := f.GetSheetList()
	for _, want := range []string{"样本", "配额", "维度", "维度×群体", "题目", "城乡", "乡镇", "学校", "质量规则", "质量-学校", "权重", "方法"} {
		found := false
		for _, s := range sheets {
			found = found || s == want
		}
		if !found {
			t.Errorf("workbook lacks sheet %s (has %v)", want, sheets)
		}
	}
}

func TestNoValidResponsesSaysSo(t *testing.T) {
	in := emptyFixture(t)
	h := string(htmlOf(t, in))
	for _, want := range []string{"无结论", "没有有效应答", "收到应答 3 份，其中有效 0 份", in.Responses[2].Hash} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(h, "<svg") {
		t.Error("a report without data draws charts")
	}
	p := pdfOf(t, in)
	f, err := excelize.OpenReader(bytes.NewReader(xlsxOf(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := rawCell(t, f, SheetSummary, fmt.Sprint("B", findRow(t, f, SheetSummary, "结论"))); got != "无结论" {
		t.Errorf("workbook verdict %q", got)
	}
	text := strings.Join(strings.Fields(pdfText(t, p)), "")
	for _, want := range []string{"无结论", "空白县", "没有有效应答"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	savePDFPage(t, p, "report-pdf-empty")
}

func TestRenderingIsReproducible(t *testing.T) {
	in := fixture(t)
	for name, f := range map[string]func(testing.TB, *report.Published) []byte{"html": htmlOf, "pdf": pdfOf, "xlsx": xlsxOf} {
		if a, b := f(t, in), f(t, in); !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings of the same input differ", name)
		}
	}
	// HTML at another time differs only in the generation-time text.
	later := *in
	later.Generated = in.Generated.Add(90 * 24 * 3600e9)
	a, b := string(htmlOf(t, in)), string(htmlOf(t, &later))
	if a == b {
		t.Fatal("the generation time is not in the HTML")
	}
	if strings.ReplaceAll(a, timeText(in.Generated), "T") != strings.ReplaceAll(b, timeText(later.Generated), "T") {
		t.Error("HTML at another generation time differs beyond the time")
	}
}

func TestRenderersRejectMissingSurvey(t *testing.T) {
	for name, f := range map[string]func(*bytes.Buffer, *report.Published) error{
		"html": func(w *bytes.Buffer, in *report.Published) error { return HTML(w, in) },
		"pdf":  func(w *bytes.Buffer, in *report.Published) error { return PDF(w, in) },
		"xlsx": func(w *bytes.Buffer, in *report.Published) error { return XLSX(w, in) },
	} {
		if err := f(&bytes.Buffer{}, &report.Published{}); err == nil {
			t.Errorf("%s: no error without a survey", name)
		}
	}
}

func TestChainFromResponsesWithoutReport(t *testing.T) {
	in := emptyFixture(t)
	n, head := chainOf(in)
	if n != 3 || head != in.Responses[2].Hash {
		t.Fatalf("chain %d %s, want 3 %s", n, head, in.Responses[2].Hash)
	}
	v := survey.NewVerifier()
	for i := range in.Responses {
		if err := v.Next(&in.Responses[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, h := v.Head(); h != head {
		t.Fatalf("verifier head %s, report head %s", h, head)
	}
}

// TestConcurrentRendering renders every format from several goroutines at
// once, as a server does for evaluators: the shared fonts must not race
// (run with -race) and each file must equal a lone rendering.
func TestConcurrentRendering(t *testing.T) {
	in := fixture(t)
	want := map[string][]byte{"html": htmlOf(t, in), "pdf": pdfOf(t, in), "xlsx": xlsxOf(t, in)}
	fs := map[string]func(*bytes.Buffer) error{
		"html": func(w *bytes.Buffer) error { return HTML(w, in) },
		"pdf":  func(w *bytes.Buffer) error { return PDF(w, in) },
		"xlsx": func(w *bytes.Buffer) error { return XLSX(w, in) },
	}
	errs := make(chan error, 6)
	for i := range 6 {
		name := []string{"html", "pdf", "xlsx"}[i%3]
		go func() {
			var b bytes.Buffer
			err := fs[name](&b)
			if err == nil && !bytes.Equal(b.Bytes(), want[name]) {
				err = fmt.Errorf("%s rendered concurrently differs", name)
			}
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
