package chart

import (
	"fmt"
	"strings"
	"sync"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"renke/fonts"
)

// The embedded CJK font (fonts.CJK) is a fallback font: it has the CJK
// ideographs and punctuation but no ASCII letters, digits or signs. Text is
// therefore set in runs: Liberation Sans (SIL OFL 1.1, the font gonum/plot
// ships) for every rune it has, the CJK font for the rest.

// LatinRegular and LatinBold are Liberation Sans, the font of the non-CJK runs.
var (
	LatinRegular = liberationsansregular.TTF
	LatinBold    = liberationsansbold.TTF
)

// Typefaces under which the faces are registered in the plot font cache.
const (
	latinFace font.Typeface = "Liberation"
	cjkFace   font.Typeface = "CJK"
)

// Run is a stretch of text set in one font.
type Run struct {
	Text string
	CJK  bool // set in the CJK font; otherwise in Liberation Sans
}

// Replacement is the rune drawn for a rune neither font has.
const Replacement = '?'

var (
	faceOnce  sync.Once
	faceErr   error
	latinHas  []bool // BMP coverage of Liberation Sans
	cjkHas    []bool // BMP coverage of the CJK font
	faceCache *font.Cache
)

func coverage(f *sfnt.Font) ([]bool, error) {
	has := make([]bool, 0x10000)
	var buf sfnt.Buffer
	for r := rune(0x20); r < 0x10000; r++ {
		i, err := f.GlyphIndex(&buf, r)
		if err != nil {
			return nil, fmt.Errorf("glyph index of %U: %w", r, err)
		}
		has[r] = i != 0
	}
	return has, nil
}

// load parses the fonts once: coverage tables and the plot font cache.
func load() error {
	faceOnce.Do(func() {
		parse := func(name string, b []byte) *opentype.Font {
			if faceErr != nil {
				return nil
			}
			f, err := opentype.Parse(b)
			if err != nil {
				faceErr = fmt.Errorf("chart: parse font %s: %w", name, err)
			}
			return f
		}
		reg, bold, cjk := parse("Liberation Sans", LatinRegular), parse("Liberation Sans Bold", LatinBold), parse("CJK", fonts.CJK)
		if faceErr != nil {
			return
		}
		if latinHas, faceErr = coverage(reg); faceErr != nil {
			return
		}
		if cjkHas, faceErr = coverage(cjk); faceErr != nil {
			return
		}
		faceCache = font.NewCache(font.Collection{
			{Font: font.Font{Typeface: latinFace}, Face: reg},
			{Font: font.Font{Typeface: latinFace, Weight: xfont.WeightBold}, Face: bold},
			{Font: font.Font{Typeface: cjkFace}, Face: cjk},
		})
	})
	return faceErr
}

// Runs splits s into runs by font. Runes neither font has (outside the
// Basic Multilingual Plane, emoji, controls) become Replacement.
func Runs(s string) ([]Run, error) {
	if err := load(); err != nil {
		return nil, err
	}
	var out []Run
	var cur strings.Builder
	curCJK := false
	for _, r := range s {
		cjk := false
		switch {
		case r < 0x10000 && latinHas[r]:
		case r < 0x10000 && cjkHas[r]:
			cjk = true
		default:
			r = Replacement
		}
		if cur.Len() > 0 && cjk != curCJK {
			out = append(out, Run{Text: cur.String(), CJK: curCJK})
			cur.Reset()
		}
		curCJK = cjk
		cur.WriteRune(r)
	}
	if cur.Len() > 0 {
		out = append(out, Run{Text: cur.String(), CJK: curCJK})
	}
	return out, nil
}

// isSVG reports whether c draws SVG, looking through draw.Canvas wrappers.
func isSVG(c vg.Canvas) bool {
	for {
		switch v := c.(type) {
		case *vgsvg.Canvas:
			return true
		case *draw.Canvas:
			c = v.Canvas
		case draw.Canvas:
			c = v.Canvas
		default:
			return false
		}
	}
}

// handler is a plot text handler that sets each run in its font.
type handler struct{ cache *font.Cache }

var _ text.Handler = handler{}

func (h handler) Cache() *font.Cache { return h.cache }

func (h handler) face(fnt font.Font, cjk bool) font.Face {
	fnt.Typeface = latinFace
	if cjk {
		fnt.Typeface = cjkFace
	}
	return h.cache.Lookup(fnt, fnt.Size)
}

func (h handler) Extents(fnt font.Font) font.Extents {
	a, b := h.face(fnt, false), h.face(fnt, true)
	ea, eb := a.Extents(), b.Extents()
	return font.Extents{Ascent: max(ea.Ascent, eb.Ascent), Descent: max(ea.Descent, eb.Descent), Height: max(ea.Height, eb.Height)}
}

func (h handler) Lines(txt string) []string {
	return strings.Split(strings.TrimRight(txt, "\n"), "\n")
}

func (h handler) runs(txt string) []Run {
	rs, err := Runs(txt)
	if err != nil { // the fonts were loaded before any plot was made
		panic(err)
	}
	return rs
}

func (h handler) width(txt string, fnt font.Font) vg.Length {
	var w vg.Length
	for _, r := range h.runs(txt) {
		f := h.face(fnt, r.CJK)
		w += f.Width(r.Text)
	}
	return w
}

func (h handler) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	e := h.Extents(fnt)
	return h.width(txt, fnt), e.Ascent, e.Descent
}

// Draw follows text.Plain.Draw, drawing each line run by run.
func (h handler) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	txt = strings.TrimRight(txt, "\n")
	if txt == "" {
		return
	}
	c.SetColor(sty.Color)
	if sty.Rotation != 0 {
		c.Push()
		c.Rotate(sty.Rotation)
		defer c.Pop()
	}
	sin, cos := sinCos(sty.Rotation)
	pt.X, pt.Y = pt.Y*sin+pt.X*cos, pt.Y*cos-pt.X*sin
	lines := h.Lines(txt)
	pt.Y += sty.Height(txt)*vg.Length(sty.YAlign) - h.Extents(sty.Font).Ascent
	svg := isSVG(c)
	for i, line := range lines {
		x := pt.X + vg.Length(sty.XAlign)*h.width(line, sty.Font)
		y := pt.Y + vg.Length(len(lines)-i)*sty.Font.Size
		if svg {
			// One text element per line: the browser picks a font per glyph
			// from the CSS stack (see svgFamilies), so runs cannot overlap.
			c.FillString(h.face(sty.Font, false), vg.Point{X: x, Y: y}, line)
			continue
		}
		for _, r := range h.runs(line) {
			f := h.face(sty.Font, r.CJK)
			c.FillString(f, vg.Point{X: x, Y: y}, r.Text)
			x += f.Width(r.Text)
		}
	}
}
