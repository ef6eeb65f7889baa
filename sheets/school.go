package sheets

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"renke/survey"
)

// Shared-code page layout, millimetres.
const (
	margin     = 15.0
	sheetQR    = 90.0 // the QR's side on a school sheet (≥ 6 cm)
	sheetQRTop = 96.0
	sheetScale = 8 // PNG pixels per QR module on a school sheet
)

// groupOrder sorts groups in report order.
func groupOrder(g survey.Group) int {
	if i := slices.Index(survey.Groups, g); i >= 0 {
		return i
	}
	return len(survey.Groups)
}

// codeOrder sorts codes by school, group, band and token.
func codeOrder(a, b survey.Code) int {
	return cmp.Or(cmp.Compare(a.School, b.School), cmp.Compare(groupOrder(a.Group), groupOrder(b.Group)),
		cmp.Compare(a.Band, b.Band), cmp.Compare(a.Urbanicity, b.Urbanicity), cmp.Compare(a.Code, b.Code))
}

// SchoolSheet writes an A4 PDF with one page per code — meant for the shared
// codes of one school (or the county's shared codes): the survey title, the
// school, the group and band in Chinese, the quota, the survey window, a
// 9 cm QR code with its URL beneath, and the instruction. Pages follow group
// and band order.
func SchoolSheet(w io.Writer, m Meta, codes []survey.Code) error {
	if err := m.check(); err != nil {
		return err
	}
	if err := checkCodes(codes); err != nil {
		return err
	}
	if len(codes) == 0 {
		return fmt.Errorf("sheets: no codes to print")
	}
	sorted := slices.Clone(codes)
	slices.SortFunc(sorted, codeOrder)
	d, err := newDoc(m.title() + " · " + place(&sorted[0]))
	if err != nil {
		return err
	}
	for i := range sorted {
		d.pdf.AddPage()
		if err := sharedPage(d, &m, &sorted[i]); err != nil {
			return err
		}
	}
	return d.write(w)
}

// line is one centred line of text: its top, size in points and text.
type line struct {
	y, pt float64
	s     string
}

// sharedPage lays out one shared code's page.
func sharedPage(d *doc, m *Meta, c *survey.Code) error {
	width := pageW - 2*margin
	lines := []line{
		{18, 20, m.title()},
		{30, 13, "社会认可度问卷 · 扫码填写"},
		{46, 24, place(c)},
		{60, 18, "调查对象：" + audience(c)},
	}
	if c.Quota > 0 {
		lines = append(lines, line{72, 14, fmt.Sprintf("名额：%d 份（额满即止）", c.Quota)})
	}
	if win := m.window(); win != "" {
		lines = append(lines, line{82, 12, "填写时间：" + win})
	}
	for _, l := range lines {
		if err := d.text(margin, l.y, width, l.pt, true, l.s); err != nil {
			return err
		}
	}
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(margin, 40, pageW-margin, 40)
	url := c.URL(m.BaseURL)
	if err := d.qr(url, (pageW-sheetQR)/2, sheetQRTop, sheetQR, sheetScale); err != nil {
		return err
	}
	after := sheetQRTop + sheetQR
	foot := []string{"编号 " + ShortID(c)}
	if c.School != "" {
		foot = append(foot, "学校代码 "+c.School)
	}
	if c.Urbanicity != "" {
		foot = append(foot, string(c.Urbanicity))
	}
	for _, l := range []line{
		{after + 3, 9, url},
		{after + 14, 16, Instruction},
		{after + 24, 12, groupHint(c.Group, c.Kind)},
		{pageH - 18, 9, strings.Join(foot, "　")},
	} {
		if err := d.text(margin, l.y, width, l.pt, true, l.s); err != nil {
			return err
		}
	}
	return nil
}
