package survey

import (
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// CodeUse is a code's state as its coordinator sees it in the code lists.
type CodeUse string

// The states a code list shows.
const (
	UseOpen   CodeUse = "open"   // a shared code with room in its quota
	UseFull   CodeUse = "full"   // a shared code whose quota is taken
	UseUnused CodeUse = "unused" // a one-time code not yet answered
	UseUsed   CodeUse = "used"   // a one-time code answered
	UseVoided CodeUse = "voided" // voided by a redraw or the coordinator
)

var useLabels = map[CodeUse]string{
	UseOpen: "可作答", UseFull: "名额已满", UseUnused: "未使用", UseUsed: "已使用", UseVoided: "已作废",
}

// Label is the state in the console's words.
func (u CodeUse) Label() string { return useLabels[u] }

// UseOf is the state of code c that has taken used answers.
func UseOf(c Code, used int64) CodeUse {
	switch {
	case !c.Voided.IsZero():
		return UseVoided
	case c.Kind == OneTimeCode && used > 0:
		return UseUsed
	case c.Kind == OneTimeCode:
		return UseUnused
	case c.Quota > 0 && used >= int64(c.Quota):
		return UseFull
	}
	return UseOpen
}

// SchoolLabel names the code's school with its township, e.g. 城关小学（城关镇）;
// empty for a code not tied to a school.
func (c Code) SchoolLabel() string {
	name := c.SchoolName
	if name == "" {
		name = c.School
	}
	if name == "" {
		return ""
	}
	if c.Township != "" {
		return name + "（" + c.Township + "）"
	}
	return name
}

// Purpose says what a code (or the batch it came in) is for: its group, its
// school and township or the whole county, its band, and an out-of-plan reason,
// e.g. 家长 · 城关小学（城关镇）· 小学中段（3–4年级）.
func (c Code) Purpose() string {
	parts := []string{c.Group.Label()}
	if s := c.SchoolLabel(); s != "" {
		parts = append(parts, s)
	} else {
		parts = append(parts, "全县")
	}
	if c.Band != "" {
		parts = append(parts, c.Band.Label())
	}
	p := strings.Join(parts, " · ")
	if c.OutOfPlan != "" {
		p += "（计划外：" + c.OutOfPlan + "）"
	}
	return p
}

// OrderCodes sorts codes the way every list shows them: shared codes first,
// grouped by school (township, then school name, in pinyin order; codes not
// tied to a school last), within a school by group and band; then one-time
// codes batch by batch in the same order, each batch in issue order.
func OrderCodes(codes []Code) {
	col := collate.New(language.Chinese)
	groupAt := map[Group]int{}
	for i, g := range Groups {
		groupAt[g] = i
	}
	bandAt := map[Band]int{}
	for i, b := range Bands {
		bandAt[b] = i + 1
	}
	pinyin := func(a, b string) int {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1 // no school: after the schools
		case b == "":
			return -1
		}
		return col.CompareString(a, b)
	}
	name := func(c Code) string {
		if c.SchoolName != "" {
			return c.SchoolName
		}
		return c.School
	}
	slices.SortStableFunc(codes, func(a, b Code) int {
		if a.Kind != b.Kind {
			if a.Kind == SharedCode {
				return -1
			}
			return 1
		}
		if d := pinyin(a.Township, b.Township); d != 0 && name(a) != "" && name(b) != "" {
			return d
		}
		if d := pinyin(name(a), name(b)); d != 0 {
			return d
		}
		if d := strings.Compare(a.School, b.School); d != 0 {
			return d
		}
		if d := groupAt[a.Group] - groupAt[b.Group]; d != 0 {
			return d
		}
		if d := bandAt[a.Band] - bandAt[b.Band]; d != 0 {
			return d
		}
		if d := a.Created.Compare(b.Created); d != 0 {
			return d
		}
		return strings.Compare(a.Batch, b.Batch)
	})
}
