package sheets

import (
	"fmt"
	"io"
	"time"

	"renke/survey"
)

// Slip layout: 3 × 4 slips on an A4 page, millimetres.
const (
	slipCols  = 3
	slipRows  = 4
	slipW     = pageW / slipCols
	slipH     = pageH / slipRows
	slipQR    = 38.0
	slipScale = 3 // PNG pixels per QR module on a slip
	slipPad   = 3.0
)

// SlipsPerPage is how many one-time codes an A4 page holds.
const SlipsPerPage = slipCols * slipRows

// Slips writes one-time codes as cut-out slips, SlipsPerPage to an A4 page
// with dashed cutting lines. Each slip carries the survey title, a 3.8 cm QR
// code, the instruction, the survey window, the school and group, the code's
// short id and its URL. Codes keep the given order.
func Slips(w io.Writer, m Meta, codes []survey.Code) error {
	if err := m.check(); err != nil {
		return err
	}
	if err := checkCodes(codes); err != nil {
		return err
	}
	if len(codes) == 0 {
		return fmt.Errorf("sheets: no codes to print")
	}
	d, err := newDoc(m.title() + " · 一次性二维码")
	if err != nil {
		return err
	}
	win := m.shortWindow()
	urls := make([]string, len(codes))
	for i := range codes {
		urls[i] = codes[i].URL(m.BaseURL)
	}
	images, err := qrImages(urls, slipScale)
	if err != nil {
		return err
	}
	for start := 0; start < len(codes); start += SlipsPerPage {
		d.pdf.AddPage()
		page := codes[start:min(start+SlipsPerPage, len(codes))]
		for i := range page {
			x := float64(i%slipCols) * slipW
			y := float64(i/slipCols) * slipH
			if err := slip(d, &m, &page[i], images[start+i], win, x, y); err != nil {
				return err
			}
		}
		cutLines(d)
	}
	return d.write(w)
}

// slip draws one slip with its top-left corner at (x, y).
func slip(d *doc, m *Meta, c *survey.Code, qr []byte, win string, x, y float64) error {
	url := c.URL(m.BaseURL)
	if err := d.image(qr, x+(slipW-slipQR)/2, y+5.5, slipQR); err != nil {
		return err
	}
	w := slipW - 2*slipPad
	lines := []line{
		{2, 6.5, m.title()},
		{44.5, 8, "请用手机微信扫描二维码填写问卷"},
		{48.3, 7, "不需填写姓名、电话；" + groupHint(c.Group, c.Kind)},
		{55.3, 7, place(c) + " · " + audience(c)},
		{59, 10, "编号 " + ShortID(c)},
		{64.5, 5, url},
	}
	if win != "" {
		lines = append(lines, line{51.8, 7, "填写时间：" + win})
	}
	for _, l := range lines {
		if err := d.text(x+slipPad, y+l.y, w, l.pt, true, l.s); err != nil {
			return err
		}
	}
	return nil
}

// cutLines draws the dashed lines between slips.
func cutLines(d *doc) {
	d.pdf.SetLineWidth(0.2)
	d.pdf.SetStrokeColor(150, 150, 150)
	d.pdf.SetLineType("dashed")
	for c := 1; c < slipCols; c++ {
		d.pdf.Line(float64(c)*slipW, 0, float64(c)*slipW, pageH)
	}
	for r := 1; r < slipRows; r++ {
		d.pdf.Line(0, float64(r)*slipH, pageW, float64(r)*slipH)
	}
	d.pdf.SetLineType("solid")
	d.pdf.SetStrokeColor(0, 0, 0)
}

// shortWindow is the survey window as dates only ("5月6日至5月20日").
func (m *Meta) shortWindow() string {
	loc := m.Location
	if loc == nil {
		loc = beijing
	}
	f := func(t time.Time) string { t = t.In(loc); return fmt.Sprintf("%d月%d日", int(t.Month()), t.Day()) }
	switch {
	case m.Opens.IsZero() && m.Closes.IsZero():
		return ""
	case m.Opens.IsZero():
		return "截至" + f(m.Closes)
	case m.Closes.IsZero():
		return f(m.Opens) + "起"
	}
	return f(m.Opens) + "至" + f(m.Closes)
}
