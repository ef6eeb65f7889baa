package sheets

import (
	"testing"

	"golang.org/x/image/font/sfnt"

	"renke/fonts"
	"renke/survey"
)

// TestEveryPrintedRuneHasAGlyph checks that each character the sheets print
// — fixed text, group and band labels, strata, digits and URL characters —
// exists in the font the run splitter assigns it to.
func TestEveryPrintedRuneHasAGlyph(t *testing.T) {
	cjk, err := sfnt.Parse(fonts.CJK)
	if err != nil {
		t.Fatal(err)
	}
	latin, err := sfnt.Parse(fonts.Latin)
	if err != nil {
		t.Fatal(err)
	}
	text := Instruction + DefaultTitle + "社会认可度问卷 · 扫码填写调查对象：名额份（额满即止）填写时间：年月日至起截至编号学校代码全县共享码一次性码" +
		"不需填写姓名、电话；此码仅限一人使用一次请学生本人家长每部手机只能提交如实作答" +
		"0123456789:/.-_?=&%#~ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	for _, g := range survey.Groups {
		text += g.Label()
	}
	for _, b := range survey.Bands {
		text += b.Label()
	}
	for _, u := range survey.Urbanicities {
		text += string(u)
	}
	var buf sfnt.Buffer
	for _, r := range text {
		f, name := cjk, "CJK"
		if fonts.IsLatin(r) {
			f, name = latin, "Latin"
		}
		if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
			t.Errorf("%q (U+%04X) has no glyph in the %s font", r, r, name)
		}
	}
}
