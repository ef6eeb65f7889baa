// Package sheets prints access codes: a QR PNG per shared code, an A4 PDF
// sheet per school (one page per shared code: school, group, band, quota,
// survey window, instruction and a QR code large enough to scan from paper),
// one-time codes as cut-out slips, twelve to an A4 page, and a ZIP of all of a
// survey's sheets. Chinese text is set in the embedded font of package fonts.
package sheets

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"renke/survey"
)

// DefaultTitle is printed when Meta.Title is empty.
const DefaultTitle = "义务教育优质均衡发展社会认可度调查"

// Instruction is the short instruction printed on every sheet and slip.
const Instruction = "请用手机微信扫描二维码填写问卷，不需填写姓名、电话"

// beijing is China Standard Time; the survey window is printed in it unless
// Meta.Location says otherwise.
var beijing = time.FixedZone("北京时间", 8*3600)

// Meta is what the sheets say about the survey.
type Meta struct {
	Title  string    // survey title; empty means DefaultTitle
	Opens  time.Time // survey window
	Closes time.Time
	// BaseURL is the public address of the server; a code's QR carries
	// BaseURL + "/s/" + code.
	BaseURL string
	// Location is the time zone the window is printed in; nil means UTC+8.
	Location *time.Location
	// Used is how many answers each code (by token) has taken: a one-time
	// code with an answer is not printed in the ZIP. Nil: none known.
	Used map[string]int64
}

// check validates the metadata.
func (m *Meta) check() error {
	u, err := url.Parse(m.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("sheets: public base URL %q must be an absolute http(s) address", m.BaseURL)
	}
	if !m.Opens.IsZero() && !m.Closes.IsZero() && m.Closes.Before(m.Opens) {
		return errors.New("sheets: the survey window closes before it opens")
	}
	return nil
}

// title is the survey title to print.
func (m *Meta) title() string {
	if strings.TrimSpace(m.Title) == "" {
		return DefaultTitle
	}
	return m.Title
}

// location is the time zone times are printed in.
func (m *Meta) location() *time.Location {
	if m.Location == nil {
		return beijing
	}
	return m.Location
}

// window is the survey window in Chinese, or "" when unknown.
func (m *Meta) window() string {
	loc := m.location()
	f := func(t time.Time) string {
		t = t.In(loc)
		return fmt.Sprintf("%d年%d月%d日 %02d:%02d", t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute())
	}
	switch {
	case m.Opens.IsZero() && m.Closes.IsZero():
		return ""
	case m.Opens.IsZero():
		return "截至 " + f(m.Closes)
	case m.Closes.IsZero():
		return f(m.Opens) + " 起"
	}
	return f(m.Opens) + " 至 " + f(m.Closes)
}

// ShortID is the code's short printed id: its first eight characters in two
// groups of four, upper case (for telling slips apart, not for access).
func ShortID(c *survey.Code) string {
	s := strings.ToUpper(c.Code)
	if len(s) < 8 {
		return s
	}
	return s[:4] + "-" + s[4:8]
}

// groupHint is a second instruction line for the group.
func groupHint(g survey.Group, k survey.CodeKind) string {
	if k == survey.OneTimeCode {
		return "此码仅限一人使用一次"
	}
	switch g {
	case survey.Student:
		return "请学生本人填写，每部手机只能提交一次"
	case survey.Parent:
		return "请家长本人填写，每部手机只能提交一次"
	}
	return "每部手机只能提交一次，请如实作答"
}

// place names where a code belongs: the school, or the county (and stratum).
func place(c *survey.Code) string {
	if c.SchoolName != "" {
		return c.SchoolName
	}
	if c.School != "" {
		return c.School
	}
	if c.Urbanicity != "" {
		return "全县（" + string(c.Urbanicity) + "）"
	}
	return "全县"
}

// audience is "家长 · 小学中段（3-4年级）" or just the group's label.
func audience(c *survey.Code) string {
	s := c.Group.Label()
	if s == "" {
		s = string(c.Group)
	}
	if c.Band != "" {
		s += " · " + c.Band.Label()
	}
	return s
}

// checkCodes rejects codes that cannot be printed.
func checkCodes(codes []survey.Code) error {
	for i := range codes {
		c := &codes[i]
		if c.Code == "" {
			return fmt.Errorf("sheets: code %d has no token", i+1)
		}
		if !c.Group.Valid() {
			return fmt.Errorf("sheets: code %s: unknown group %q", ShortID(c), c.Group)
		}
	}
	return nil
}
