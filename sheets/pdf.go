package sheets

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"sync"

	"github.com/signintech/gopdf"
	"github.com/skip2/go-qrcode"

	"renke/fonts"
)

// A4 page in millimetres.
const (
	pageW = 210.0
	pageH = 297.0
)

var (
	fontOnce sync.Once
	fontBox  *gopdf.FontContainer
	fontErr  error
)

// substitute maps characters the font lacks to ones it has.
func substitute(r rune) rune {
	switch r {
	case '–', '—', '‒', '−':
		return '-'
	}
	return '?'
}

// font parses the embedded CJK font once; every document reuses it.
func font() (*gopdf.FontContainer, error) {
	fontOnce.Do(func() {
		fontBox = &gopdf.FontContainer{}
		fontErr = fontBox.AddTTFFontDataWithOption(fonts.CJKName, fonts.CJK, gopdf.TtfOption{OnGlyphNotFoundSubstitute: substitute})
	})
	if fontErr != nil {
		return nil, fmt.Errorf("sheets: load CJK font: %w", fontErr)
	}
	return fontBox, nil
}

// doc is an A4 PDF in millimetres with the CJK font.
type doc struct {
	pdf  *gopdf.GoPdf
	size float64
}

func newDoc(title string) (*doc, error) {
	fc, err := font()
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "renke"})
	if err := pdf.AddTTFFontFromFontContainer(fonts.CJKName, fc); err != nil {
		return nil, fmt.Errorf("sheets: add font: %w", err)
	}
	d := &doc{pdf: pdf}
	return d, d.setSize(12)
}

func (d *doc) setSize(pt float64) error {
	if pt == d.size {
		return nil
	}
	d.size = pt
	if err := d.pdf.SetFont(fonts.CJKName, "", pt); err != nil {
		return fmt.Errorf("sheets: set font: %w", err)
	}
	return nil
}

// text sets s on one line in the box (x, y, w) at size pt, centred when
// centre, shrinking the size until it fits the width.
func (d *doc) text(x, y, w, pt float64, centre bool, s string) error {
	for ; pt > 4; pt -= 0.5 {
		if err := d.setSize(pt); err != nil {
			return err
		}
		width, err := d.pdf.MeasureTextWidth(s)
		if err != nil {
			return fmt.Errorf("sheets: measure %q: %w", s, err)
		}
		if width <= w {
			break
		}
	}
	d.pdf.SetXY(x, y)
	align := gopdf.Left | gopdf.Top
	if centre {
		align = gopdf.Center | gopdf.Top
	}
	h := d.size * 25.4 / 72 * 1.2
	if err := d.pdf.CellWithOption(&gopdf.Rect{W: w, H: h}, s, gopdf.CellOption{Align: align}); err != nil {
		return fmt.Errorf("sheets: text %q: %w", s, err)
	}
	return nil
}

// qr draws the QR code of content as a side × side square at (x, y).
func (d *doc) qr(content string, x, y, side float64, scale int) error {
	b, err := qrPNG(content, scale)
	if err != nil {
		return err
	}
	h, err := gopdf.ImageHolderByBytes(b)
	if err != nil {
		return fmt.Errorf("sheets: QR image: %w", err)
	}
	if err := d.pdf.ImageByHolder(h, x, y, &gopdf.Rect{W: side, H: side}); err != nil {
		return fmt.Errorf("sheets: QR image: %w", err)
	}
	return nil
}

// write finishes the document into w.
func (d *doc) write(w io.Writer) error {
	if err := d.pdf.Write(w); err != nil {
		return fmt.Errorf("sheets: write PDF: %w", err)
	}
	return nil
}

// qrPNG encodes content as a QR code (medium recovery, with its quiet zone)
// into a grayscale PNG of scale pixels per module.
func qrPNG(content string, scale int) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("sheets: QR code for %q: %w", content, err)
	}
	bm := q.Bitmap()
	n := len(bm)
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range bm {
		for x, dark := range row {
			if !dark {
				continue
			}
			for dy := range scale {
				off := img.PixOffset(x*scale, y*scale+dy)
				for dx := range scale {
					img.Pix[off+dx] = color.Black.Y
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("sheets: encode QR PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// PNG is the QR code of content as a PNG of about size pixels a side (at
// least one pixel per module), medium error recovery, with its quiet zone.
func PNG(content string, size int) ([]byte, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("sheets: QR code: %w", err)
	}
	scale := max(1, size/len(q.Bitmap()))
	return qrPNG(content, scale)
}
