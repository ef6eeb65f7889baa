package render

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/signintech/gopdf"

	"renke/fonts"
	"renke/report/chart"
)

// A4 in millimetres and the text block.
const (
	pageW, pageH = 210.0, 297.0
	marginX      = 18.0
	marginTop    = 18.0
	marginBottom = 20.0
	textW        = pageW - 2*marginX
	ptToMM       = 25.4 / 72
)

// Font families registered in every PDF. The CJK font has no Latin glyphs,
// so text is set in runs (chart.Runs): Liberation Sans, and the CJK font.
const (
	famLatin     = "LiberationSans"
	famLatinBold = "LiberationSans-Bold"
	famCJK       = fonts.CJKName
)

var (
	pdfFontOnce sync.Once
	pdfFonts    *gopdf.FontContainer
	pdfFontErr  error
)

// pdfFontBox parses the three fonts once; every document reuses them and
// embeds the subset of glyphs it uses.
func pdfFontBox() (*gopdf.FontContainer, error) {
	pdfFontOnce.Do(func() {
		fc := &gopdf.FontContainer{}
		for _, f := range []struct {
			name string
			data []byte
		}{{famLatin, chart.LatinRegular}, {famLatinBold, chart.LatinBold}, {famCJK, fonts.CJK}} {
			if err := fc.AddTTFFontData(f.name, f.data); err != nil {
				pdfFontErr = fmt.Errorf("render: load font %s: %w", f.name, err)
				return
			}
		}
		pdfFonts = fc
	})
	return pdfFonts, pdfFontErr
}

// pdfDoc is an A4 document with a cursor y (mm from the top of the page).
type pdfDoc struct {
	gp    *gopdf.GoPdf
	y     float64
	size  float64 // points
	bold  bool
	rgb   [3]uint8
	err   error // the first error; later calls do nothing
	title string
	// figure places a chart; set by the report writer.
	figure func(*chart.Figure)
}

func newPDFDoc(title, creator string, created time.Time) (*pdfDoc, error) {
	fc, err := pdfFontBox()
	if err != nil {
		return nil, err
	}
	gp := &gopdf.GoPdf{}
	gp.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	gp.SetInfo(gopdf.PdfInfo{Title: title, Creator: creator, Producer: creator, CreationDate: created})
	for _, fam := range []string{famLatin, famLatinBold, famCJK} {
		if err := gp.AddTTFFontFromFontContainer(fam, fc); err != nil {
			return nil, fmt.Errorf("render: add font %s: %w", fam, err)
		}
	}
	d := &pdfDoc{gp: gp, size: 10, title: title}
	d.newPage()
	return d, nil
}

func (d *pdfDoc) fail(err error) {
	if d.err == nil && err != nil {
		d.err = err
	}
}

func (d *pdfDoc) newPage() {
	d.gp.AddPage()
	d.y = marginTop
}

// lineH is the height of a line of text at the current size.
func (d *pdfDoc) lineH() float64 { return d.size * ptToMM * 1.45 }

// room starts a new page unless h millimetres fit below the cursor.
func (d *pdfDoc) room(h float64) {
	if d.y+h > pageH-marginBottom {
		d.newPage()
	}
}

func (d *pdfDoc) font(cjk bool) {
	fam := famLatin
	switch {
	case cjk:
		fam = famCJK
	case d.bold:
		fam = famLatinBold
	}
	d.fail(d.gp.SetFont(fam, "", d.size))
}

func (d *pdfDoc) style(size float64, bold bool, rgb [3]uint8) {
	d.size, d.bold, d.rgb = size, bold, rgb
	d.gp.SetTextColor(rgb[0], rgb[1], rgb[2])
}

var (
	black = [3]uint8{0x1a, 0x20, 0x2c}
	red   = [3]uint8{0xc5, 0x30, 0x30}
	blue  = [3]uint8{0x2b, 0x6c, 0xb0}
	grey  = [3]uint8{0x4a, 0x55, 0x68}
)

// width measures s in the current style.
func (d *pdfDoc) width(s string) float64 {
	runs, err := chart.Runs(s)
	d.fail(err)
	w := 0.0
	for _, r := range runs {
		d.font(r.CJK)
		x, err := d.gp.MeasureTextWidth(r.Text)
		d.fail(err)
		w += x
	}
	return w
}

// text draws one line with its top-left corner at (x, top).
func (d *pdfDoc) text(x, top float64, s string) {
	runs, err := chart.Runs(s)
	d.fail(err)
	base := top + d.size*ptToMM*1.05
	for _, r := range runs {
		d.font(r.CJK)
		d.gp.SetXY(x, base)
		d.fail(d.gp.Text(r.Text))
		w, err := d.gp.MeasureTextWidth(r.Text)
		d.fail(err)
		x += w
	}
}

// tokens splits s for line breaking: each CJK character alone, runs of
// other non-space characters together, spaces alone.
func tokens(s string) []string {
	var out []string
	var word strings.Builder
	flush := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == ' ':
			flush()
			out = append(out, " ")
		case r > 0x2e7f || unicode.Is(unicode.Han, r):
			flush()
			out = append(out, string(r))
		default:
			word.WriteRune(r)
		}
	}
	flush()
	return out
}

// closing reports whether tok is punctuation that must not start a line
// (it may hang past the right edge instead).
func closing(tok string) bool {
	return len([]rune(tok)) == 1 && strings.ContainsAny(tok, "，。、；：！？）》」』”’%,.;:!?)")
}

// wrap breaks s into lines no wider than w; a word wider than w is broken
// between characters.
func (d *pdfDoc) wrap(s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line, lineW := "", 0.0
		for _, tok := range tokens(para) {
			tw := d.width(tok)
			if lineW+tw > w && line != "" && !closing(tok) {
				lines = append(lines, strings.TrimRight(line, " "))
				line, lineW = "", 0
				if tok == " " {
					continue
				}
			}
			if tw > w { // a very long word: break it by characters
				for _, r := range tok {
					cw := d.width(string(r))
					if lineW+cw > w && line != "" {
						lines = append(lines, line)
						line, lineW = "", 0
					}
					line += string(r)
					lineW += cw
				}
				continue
			}
			line += tok
			lineW += tw
		}
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}

// para sets a wrapped paragraph across the text block.
func (d *pdfDoc) para(s string, size float64, bold bool, rgb [3]uint8) {
	d.style(size, bold, rgb)
	for _, l := range d.wrap(s, textW) {
		d.room(d.lineH())
		d.text(marginX, d.y, l)
		d.y += d.lineH()
	}
	d.y += 1.2
}

// heading sets a section heading, keeping it with the next 30 mm.
func (d *pdfDoc) heading(s string, size float64) { d.headingKeep(s, size, 30) }

// headingKeep sets a heading, keeping it with the next keep millimetres.
func (d *pdfDoc) headingKeep(s string, size, keep float64) {
	d.room(size*ptToMM*2 + keep)
	d.y += size * ptToMM * 0.6
	d.style(size, true, black)
	d.text(marginX, d.y, s)
	d.y += d.lineH()
	if size >= 13 {
		d.gp.SetStrokeColor(0xcb, 0xd5, 0xe0)
		d.gp.SetLineWidth(0.4)
		d.gp.Line(marginX, d.y, pageW-marginX, d.y)
		d.y += 2
	}
}

// image places a PNG at full text width (smaller when taller than a page).
func (d *pdfDoc) image(png []byte, wPt, hPt float64) {
	w, h := wPt*ptToMM, hPt*ptToMM
	if maxH := pageH - marginTop - marginBottom; h > maxH {
		w, h = w*maxH/h, maxH
	}
	d.room(h + 2)
	holder, err := gopdf.ImageHolderByBytes(png)
	if err != nil {
		d.fail(fmt.Errorf("render: chart image: %w", err))
		return
	}
	d.fail(d.gp.ImageByHolder(holder, marginX+(textW-w)/2, d.y, &gopdf.Rect{W: w, H: h}))
	d.y += h + 3
}

// finish numbers the pages and writes the document.
func (d *pdfDoc) finish(w io.Writer, footer string) error {
	n := d.gp.GetNumberOfPages()
	for i := 1; i <= n; i++ {
		d.fail(d.gp.SetPage(i))
		d.style(8, false, grey)
		d.text(marginX, pageH-marginBottom+6, footer)
		num := fmt.Sprintf("第 %d / %d 页", i, n)
		d.text(pageW-marginX-d.width(num), pageH-marginBottom+6, num)
	}
	if d.err != nil {
		return fmt.Errorf("render: PDF: %w", d.err)
	}
	if _, err := d.gp.WriteTo(w); err != nil {
		return fmt.Errorf("render: write PDF: %w", err)
	}
	return nil
}
