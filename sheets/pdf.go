package sheets

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"runtime"
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

// substitute maps characters neither font has to a visible question mark.
func substitute(r rune) rune { return '?' }

// font parses the embedded fonts once; every document reuses them.
func font() (*gopdf.FontContainer, error) {
	fontOnce.Do(func() {
		fontBox = &gopdf.FontContainer{}
		opt := gopdf.TtfOption{OnGlyphNotFoundSubstitute: substitute}
		fontErr = fontBox.AddTTFFontDataWithOption(fonts.CJKName, fonts.CJK, opt)
		if fontErr == nil {
			fontErr = fontBox.AddTTFFontDataWithOption(fonts.LatinName, fonts.Latin, opt)
		}
	})
	if fontErr != nil {
		return nil, fmt.Errorf("sheets: load fonts: %w", fontErr)
	}
	return fontBox, nil
}

// doc is an A4 PDF in millimetres with the CJK and Latin fonts.
type doc struct {
	pdf    *gopdf.GoPdf
	family string
	size   float64
}

func newDoc(title string) (*doc, error) {
	fc, err := font()
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "renke"})
	for _, f := range []string{fonts.CJKName, fonts.LatinName} {
		if err := pdf.AddTTFFontFromFontContainer(f, fc); err != nil {
			return nil, fmt.Errorf("sheets: add font %s: %w", f, err)
		}
	}
	return &doc{pdf: pdf}, nil
}

func (d *doc) setFont(family string, pt float64) error {
	if family == d.family && pt == d.size {
		return nil
	}
	d.family, d.size = family, pt
	if err := d.pdf.SetFont(family, "", pt); err != nil {
		return fmt.Errorf("sheets: set font: %w", err)
	}
	return nil
}

// run is a stretch of text set in one font.
type run struct {
	family string
	text   string
	width  float64
}

// runs splits s into Latin and CJK runs.
func runs(s string) []run {
	var out []run
	for _, r := range s {
		f := fonts.CJKName
		if fonts.IsLatin(r) {
			f = fonts.LatinName
		}
		if n := len(out); n > 0 && out[n-1].family == f {
			out[n-1].text += string(r)
			continue
		}
		out = append(out, run{family: f, text: string(r)})
	}
	return out
}

// measure sets each run's width at size pt and returns the total.
func (d *doc) measure(rs []run, pt float64) (float64, error) {
	total := 0.0
	for i := range rs {
		if err := d.setFont(rs[i].family, pt); err != nil {
			return 0, err
		}
		w, err := d.pdf.MeasureTextWidth(rs[i].text)
		if err != nil {
			return 0, fmt.Errorf("sheets: measure %q: %w", rs[i].text, err)
		}
		rs[i].width = w
		total += w
	}
	return total, nil
}

// text sets s on one line whose top is y, in the box from x of width w, at
// size pt, centred when centre; the size shrinks until the line fits.
func (d *doc) text(x, y, w, pt float64, centre bool, s string) error {
	rs := runs(s)
	total, err := d.measure(rs, pt)
	for ; err == nil && total > w && pt > 4; pt -= 0.5 {
		total, err = d.measure(rs, pt-0.5)
	}
	if err != nil {
		return err
	}
	if centre {
		x += (w - total) / 2
	}
	baseline := y + pt*25.4/72*0.88
	for _, r := range rs {
		if err := d.setFont(r.family, pt); err != nil {
			return err
		}
		d.pdf.SetXY(x, baseline)
		if err := d.pdf.Text(r.text); err != nil {
			return fmt.Errorf("sheets: text %q: %w", r.text, err)
		}
		x += r.width
	}
	return nil
}

// qr draws the QR code of content as a side × side square at (x, y).
func (d *doc) qr(content string, x, y, side float64, scale int) error {
	b, err := qrPNG(content, scale)
	if err != nil {
		return err
	}
	return d.image(b, x, y, side)
}

// image places a PNG as a side × side square at (x, y).
func (d *doc) image(b []byte, x, y, side float64) error {
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
	return bitmapPNG(q.Bitmap(), scale)
}

// encoderPool lets PNG encoders reuse their compressor state.
type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	if b, ok := e.p.Get().(*png.EncoderBuffer); ok {
		return b
	}
	return nil
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// pngEncoder encodes QR PNGs fast; it is safe for concurrent use.
var pngEncoder = &png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderPool{}}

// qrImages renders the QR PNGs of contents on all CPUs, in order.
func qrImages(contents []string, scale int) ([][]byte, error) {
	out := make([][]byte, len(contents))
	errs := make([]error, len(contents))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = qrPNG(contents[i], scale)
			}
		})
	}
	for i := range contents {
		next <- i
	}
	close(next)
	wg.Wait()
	return out, errors.Join(errs...)
}

// bitmapPNG draws a QR bitmap, scale pixels per module.
func bitmapPNG(bm [][]bool, scale int) ([]byte, error) {
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
					img.Pix[off+dx] = 0
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := pngEncoder.Encode(&buf, img); err != nil {
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
	bm := q.Bitmap()
	return bitmapPNG(bm, max(1, size/len(bm)))
}
