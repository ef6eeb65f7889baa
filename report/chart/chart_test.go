package chart

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

var groups = []Row{
	{Label: "家长（n=320）", Rate: 0.812, Low: 0.771, High: 0.853},
	{Label: "学生（n=210）", Rate: 0.874, Low: 0.840, High: 0.908},
	{Label: "人大代表（n=12）", Rate: 0.95, Low: 0.80, High: 1},
	{Label: "Teachers 教师", Rate: 0.90, Low: 0.41, High: 0.99},
}

// saveScreenshot keeps a rendered image under screenshots/ (git-ignored) for a person to look at.
func saveScreenshot(t *testing.T, name string, b []byte) {
	t.Helper()
	dir := filepath.Join("..", "..", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRuns(t *testing.T) {
	rs, err := Runs("认可度 87.3%（n=12）😀")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rs {
		tag := "L"
		if r.CJK {
			tag = "C"
		}
		got = append(got, tag+":"+r.Text)
	}
	want := []string{"C:认可度", "L: 87.3%", "C:（", "L:n=12", "C:）", "L:?"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("runs %q, want %q", got, want)
	}
}

func TestSVGIsWellFormedAndLabelled(t *testing.T) {
	f, err := Intervals("各群体认可度", groups, 0.85)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("<svg")) {
		t.Fatalf("SVG starts %q", b[:min(40, len(b))])
	}
	var texts []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG does not parse: %v", err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			inText = v.Name.Local == "text"
		case xml.CharData:
			if inText {
				texts = append(texts, string(v))
			}
		case xml.EndElement:
			inText = false
		}
	}
	all := strings.Join(texts, "")
	for _, want := range []string{"各群体认可度", "家长", "n=320", "81.2%", "87.4%", "达标线", "85%", "50%", "100%"} {
		if !strings.Contains(all, want) {
			t.Errorf("SVG text lacks %q: %q", want, all)
		}
	}
	if strings.Contains(all, "110%") {
		t.Errorf("ticks run past 100%%: %q", all)
	}
	if !strings.Contains(string(b), "Microsoft YaHei") {
		t.Error("SVG CJK runs have no font fallbacks")
	}
}

// TestPNGMarksBelowBar checks the pixels: the row below the bar is drawn in
// the failing colour, and a row above it is not.
func TestPNGMarksBelowBar(t *testing.T) {
	rows := []Row{{Label: "低", Rate: 0.70, Low: 0.65, High: 0.75}, {Label: "高", Rate: 0.95, Low: 0.9, High: 0.99}}
	f, err := Intervals("测试", rows, 0.85)
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.PNG(100)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	wantW := int(f.Width.Points()/72*100 + 0.5)
	if img.Bounds().Dx() != wantW {
		t.Fatalf("PNG width %d, want %d", img.Bounds().Dx(), wantW)
	}
	// The failing row (first, so on top) is filled red, the passing one blue, and nothing else is.
	fy0, fy1 := rowsWith(img, failFill)
	py0, py1 := rowsWith(img, passFill)
	if fy0 < 0 || py0 < 0 || fy1 >= py0 {
		t.Fatalf("failing fill on rows %d..%d, passing fill on rows %d..%d", fy0, fy1, py0, py1)
	}
	saveScreenshot(t, "chart-intervals.png", b)
}

// rowsWith returns the first and last pixel rows holding colour c (-1 when none).
func rowsWith(img image.Image, c interface{ RGBA() (r, g, b, a uint32) }) (first, last int) {
	cr, cg, cb, _ := c.RGBA()
	first, last = -1, -1
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r == cr && g == cg && b == cb {
				if first < 0 {
					first = y
				}
				last = y
				break
			}
		}
	}
	return first, last
}

func TestFiguresAreReproducible(t *testing.T) {
	for name, mk := range map[string]func() (*Figure, error){
		"overall": func() (*Figure, error) { return Overall("总体", groups[0], 0.85) },
		"dots":    func() (*Figure, error) { return Dots("学校", groups, 0.85) },
	} {
		var outs [2][]byte
		for i := range outs {
			f, err := mk()
			if err != nil {
				t.Fatal(err)
			}
			s, err := f.SVG()
			if err != nil {
				t.Fatal(err)
			}
			p, err := f.PNG(72)
			if err != nil {
				t.Fatal(err)
			}
			outs[i] = append(s, p...)
		}
		if !bytes.Equal(outs[0], outs[1]) {
			t.Errorf("%s: two renderings differ", name)
		}
	}
}

func TestRejectsBadRows(t *testing.T) {
	if _, err := Intervals("x", nil, 0.85); err == nil {
		t.Error("no rows: want an error")
	}
	if _, err := Dots("x", []Row{{Label: "a", Rate: 1.2, Low: 0, High: 1}}, 0.85); err == nil {
		t.Error("rate above 1: want an error")
	}
}

func TestAxisStartsLowerForWideIntervals(t *testing.T) {
	if got := axisStart(groups, 0.85); got != 0.3 {
		t.Errorf("axis start %v, want 0.3 (an interval reaches 41%%)", got)
	}
	if got := axisStart(groups[:2], 0.85); got != 0.5 {
		t.Errorf("axis start %v, want 0.5", got)
	}
}

func BenchmarkIntervalsPNG(b *testing.B) {
	for b.Loop() {
		f, err := Intervals("各群体认可度", groups, 0.85)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.PNG(200); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIntervalsSVG(b *testing.B) {
	for b.Loop() {
		f, err := Intervals("各群体认可度", groups, 0.85)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.SVG(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDotLabelsClearTheIntervals: the school chart writes its rates in a
// column right of 100%, never over an interval; the bar charts write each
// rate after its own interval.
func TestDotLabelsClearTheIntervals(t *testing.T) {
	dots := style{radius: 2.5, labelColumn: true}
	bars := style{radius: 3}
	const one = 500
	for _, c := range []struct{ hi, dot vg.Length }{{300, 250}, {499, 480}, {500, 500}} {
		if x := dots.labelX(c.hi, c.dot, one); x <= one {
			t.Errorf("dot chart label at %v, inside the axis (100%% at %v)", x, one)
		}
		if x := bars.labelX(c.hi, c.dot, one); x <= c.hi || x <= c.dot+bars.radius {
			t.Errorf("bar chart label at %v over its interval (%v) or dot (%v)", x, c.hi, c.dot)
		}
	}
}
