package sheets

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skip2/go-qrcode"

	"renke/survey"
)

const base = "https://renke.example.cn"

var meta = Meta{Title: "示例县义务教育优质均衡发展社会认可度调查", BaseURL: base,
	Opens:  time.Date(2025, 5, 6, 0, 0, 0, 0, beijing),
	Closes: time.Date(2025, 5, 20, 20, 0, 0, 0, beijing)}

var school = survey.School{Code: "500110001", Name: "城关第一小学", Township: "城关街道", Urbanicity: survey.Urban}

func issue(t testing.TB, sp survey.IssueSpec) []survey.Code {
	t.Helper()
	codes, err := sp.Issue("sv1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return codes
}

func sharedCodes(t testing.TB) []survey.Code {
	var out []survey.Code
	for _, sp := range []survey.IssueSpec{
		{Kind: survey.SharedCode, Group: survey.Teacher, School: school, Quota: 5},
		{Kind: survey.SharedCode, Group: survey.Parent, School: school, Band: survey.BandMiddle, Quota: 12},
		{Kind: survey.SharedCode, Group: survey.Student, School: school, Band: survey.BandUpper, Quota: 8},
	} {
		out = append(out, issue(t, sp)...)
	}
	return out
}

// checkPDF asserts the structure of a PDF in pure Go and returns its page count.
func checkPDF(t *testing.T, b []byte) int {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.")) {
		t.Fatalf("no PDF header: %q", b[:min(len(b), 16)])
	}
	if !bytes.HasSuffix(bytes.TrimRight(b, "\r\n "), []byte("%%EOF")) {
		t.Fatal("no end-of-file marker at the end")
	}
	if !bytes.Contains(b, []byte("startxref")) || !bytes.Contains(b, []byte("trailer")) {
		t.Fatal("no cross-reference trailer")
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(b, -1))
	m := regexp.MustCompile(`/Type\s*/Pages[\s\S]*?/Count\s+(\d+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no page tree")
	}
	if n, _ := strconv.Atoi(string(m[1])); n != pages {
		t.Fatalf("page tree counts %d pages, %d page objects", n, pages)
	}
	return pages
}

// pdfText extracts the text with pdftotext, or skips the test.
func pdfText(t *testing.T, b []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed: skipping the text check; apt-get install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestSchoolSheet(t *testing.T) {
	codes := sharedCodes(t)
	var buf bytes.Buffer
	if err := SchoolSheet(&buf, meta, codes); err != nil {
		t.Fatal(err)
	}
	if n := checkPDF(t, buf.Bytes()); n != len(codes) {
		t.Fatalf("%d pages for %d codes", n, len(codes))
	}
	text := pdfText(t, buf.Bytes())
	norm := strings.Join(strings.Fields(text), "")
	for _, c := range codes {
		if !strings.Contains(text, c.URL(base)) {
			t.Errorf("URL %s not in the PDF text", c.URL(base))
		}
		if !strings.Contains(norm, ShortID(&c)) {
			t.Errorf("short id %s not in the PDF text", ShortID(&c))
		}
	}
	for _, want := range []string{"城关第一小学", "调查对象：家长", "小学中段", "名额：12份", "请用手机微信扫描二维码填写问卷，不需填写姓名、电话",
		"2025年5月6日00:00至2025年5月20日20:00", "教师", "学生"} {
		if !strings.Contains(norm, want) {
			t.Errorf("%q not in the PDF text:\n%s", want, text)
		}
	}
	// The QR is printed at least 6 cm wide.
	if bin, err := exec.LookPath("pdfimages"); err == nil {
		path := filepath.Join(t.TempDir(), "s.pdf")
		_ = os.WriteFile(path, buf.Bytes(), 0o600)
		out, err := exec.Command(bin, "-list", path).Output()
		if err != nil {
			t.Fatal(err)
		}
		rows := strings.Split(strings.TrimSpace(string(out)), "\n")[2:]
		if len(rows) != len(codes) {
			t.Fatalf("%d images for %d pages", len(rows), len(codes))
		}
		for _, r := range rows {
			f := strings.Fields(r)
			px, _ := strconv.ParseFloat(f[3], 64)
			ppi, _ := strconv.ParseFloat(f[12], 64)
			if cm := px / ppi * 2.54; cm < 6 {
				t.Errorf("QR printed %.1f cm wide", cm)
			}
		}
	}
}

func TestSlips(t *testing.T) {
	codes := issue(t, survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Parent, School: school, Band: survey.BandJunior, Count: 25})
	var buf bytes.Buffer
	if err := Slips(&buf, meta, codes); err != nil {
		t.Fatal(err)
	}
	if n := checkPDF(t, buf.Bytes()); n != 3 {
		t.Fatalf("25 slips on %d pages, want 3", n)
	}
	text := pdfText(t, buf.Bytes())
	norm := strings.Join(strings.Fields(text), "")
	for _, c := range codes {
		if !strings.Contains(norm, c.URL(base)) || !strings.Contains(norm, "编号"+ShortID(&c)) {
			t.Errorf("slip of %s missing its URL or id", c.Code)
		}
	}
	for _, want := range []string{"此码仅限一人使用一次", "5月6日至5月20日", "城关第一小学·家长·初中"} {
		if !strings.Contains(norm, want) {
			t.Errorf("%q not on the slips:\n%s", want, text[:min(len(text), 600)])
		}
	}
}

// TestPNGModules decodes a QR PNG and compares every module with the QR
// code's own bitmap.
func TestPNGModules(t *testing.T) {
	url := base + "/s/abcdefghijklmnopqrstuvwxyz234567"
	b, err := PNG(url, 600)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	q, _ := qrcode.New(url, qrcode.Medium)
	bm := q.Bitmap()
	scale := img.Bounds().Dx() / len(bm)
	if scale < 1 || img.Bounds().Dx() != scale*len(bm) || img.Bounds().Dx() > 600 {
		t.Fatalf("image %v for %d modules", img.Bounds(), len(bm))
	}
	for y, row := range bm {
		for x, dark := range row {
			r, _, _, _ := img.At(x*scale+scale/2, y*scale+scale/2).RGBA()
			if (r == 0) != dark {
				t.Fatalf("module (%d,%d) wrong", x, y)
			}
		}
	}
}

func TestZIP(t *testing.T) {
	codes := sharedCodes(t)
	codes = append(codes, issue(t, survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Public, Urbanicity: survey.Rural, Quota: 30})...)
	codes = append(codes, issue(t, survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Deputy, Count: 13})...)
	var buf bytes.Buffer
	if err := ZIP(&buf, meta, codes); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	pngs := 0
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		files[f.Name] = b.Bytes()
		if strings.HasSuffix(f.Name, ".png") {
			pngs++
		}
	}
	want := map[string]int{"学校/500110001_城关第一小学.pdf": 3, "全县/全县共享码.pdf": 1, "一次性码/全县_人大代表.pdf": 2}
	for name, pages := range want {
		b, ok := files[name]
		if !ok {
			t.Fatalf("no %s in %v", name, keys(files))
		}
		if n := checkPDF(t, b); n != pages {
			t.Errorf("%s: %d pages, want %d", name, n, pages)
		}
	}
	if pngs != 4 {
		t.Errorf("%d PNGs, want one per shared code (4)", pngs)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files["清单.csv"], []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != len(codes)+1 {
		t.Fatalf("manifest: %d rows, %v", len(rows), err)
	}
	for _, r := range rows[1:] {
		if _, ok := files[r[0]]; !ok || !strings.HasPrefix(r[9], base+"/s/") || r[10] != "" {
			t.Errorf("manifest row %v", r)
		}
	}
}

// TestZIPLeavesOutUsedAndVoided: a used one-time slip and a voided code are not
// printed; the manifest lists them with why.
func TestZIPLeavesOutUsedAndVoided(t *testing.T) {
	codes := sharedCodes(t)
	slips := issue(t, survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Deputy, Count: 13})
	codes = append(codes, slips...)
	codes[0].Voided = meta.Opens
	m := meta
	m.Used = map[string]int64{slips[0].Code: 1, slips[1].Code: 1, codes[1].Code: 5}
	var buf bytes.Buffer
	if err := ZIP(&buf, m, codes); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		var b bytes.Buffer
		_, _ = b.ReadFrom(rc)
		rc.Close()
		files[f.Name] = b.Bytes()
	}
	// 11 slips left: one page; the school sheet keeps its two live codes (a shared code is printed however full).
	if n := checkPDF(t, files["一次性码/全县_人大代表.pdf"]); n != 1 {
		t.Errorf("slips: %d pages, want 1 (11 unused slips)", n)
	}
	if n := checkPDF(t, files["学校/500110001_城关第一小学.pdf"]); n != 2 {
		t.Errorf("school sheet: %d pages, want 2 (one code voided)", n)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files["清单.csv"], []byte("\ufeff")))).ReadAll()
	if err != nil || len(rows) != len(codes)+1 {
		t.Fatalf("manifest: %d rows, %v", len(rows), err)
	}
	why := map[string]string{}
	for _, r := range rows[1:] {
		if r[0] == "" {
			why[r[9]] = r[10]
		}
	}
	wantWhy := map[string]string{codes[0].URL(base): "未打印：已作废", slips[0].URL(base): "未打印：已使用", slips[1].URL(base): "未打印：已使用"}
	if len(why) != len(wantWhy) {
		t.Errorf("codes not printed: %v, want %v", why, wantWhy)
	}
	for u, w := range wantWhy {
		if !strings.HasPrefix(why[u], w) {
			t.Errorf("%s: note %q, want %q…", u, why[u], w)
		}
	}
	m.Used = map[string]int64{}
	for _, c := range slips {
		m.Used[c.Code] = 1
	}
	if err := ZIP(&bytes.Buffer{}, m, append([]survey.Code{codes[0]}, slips...)); err == nil {
		t.Error("a ZIP with nothing to print was written")
	}
}

func TestBadInput(t *testing.T) {
	codes := sharedCodes(t)
	for _, m := range []Meta{{BaseURL: ""}, {BaseURL: "renke.example.cn"}, {BaseURL: base, Opens: meta.Closes, Closes: meta.Opens}} {
		if err := SchoolSheet(&bytes.Buffer{}, m, codes); err == nil {
			t.Errorf("meta %+v accepted", m)
		}
	}
	bad := append([]survey.Code{}, codes...)
	bad[1].Code = ""
	if err := Slips(&bytes.Buffer{}, meta, bad); err == nil {
		t.Error("a code without a token was printed")
	}
	if err := Slips(&bytes.Buffer{}, meta, nil); err == nil {
		t.Error("no codes printed without complaint")
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
