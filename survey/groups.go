// Package survey holds the domain of the social-recognition survey: respondent
// groups, questionnaires, surveys, access codes, responses, scoring and the
// integrity rules. It knows nothing of HTTP or storage.
package survey

import "fmt"

// Group is one of the seven respondent groups of docs/method.md §1.
type Group string

// The seven respondent groups.
const (
	Student   Group = "student"
	Parent    Group = "parent"
	Teacher   Group = "teacher"
	Principal Group = "principal"
	Deputy    Group = "deputy"
	CPPCC     Group = "cppcc"
	Public    Group = "public"
)

// Groups lists every group in report order.
var Groups = []Group{Student, Parent, Teacher, Principal, Deputy, CPPCC, Public}

var groupLabels = map[Group]string{
	Student: "学生", Parent: "家长", Teacher: "教师", Principal: "校长",
	Deputy: "人大代表", CPPCC: "政协委员", Public: "其他群众",
}

// Label is the group's Chinese name.
func (g Group) Label() string { return groupLabels[g] }

// Valid reports whether g is one of the seven groups.
func (g Group) Valid() bool { _, ok := groupLabels[g]; return ok }

// ViaSchool reports whether the group is reached through a sampled school
// (students, parents and teachers), so the school is its PSU (docs/method.md §4).
func (g Group) ViaSchool() bool { return g == Student || g == Parent || g == Teacher }

// HasBand reports whether the group's weighting cells are split by grade band.
func (g Group) HasBand() bool { return g == Student || g == Parent }

// Form is the questionnaire form the group answers.
func (g Group) Form() FormKind {
	switch g {
	case Student:
		return StudentForm
	case Teacher, Principal:
		return StaffForm
	default:
		return SocialForm
	}
}

// ParseGroup parses a group code.
func ParseGroup(s string) (Group, error) {
	g := Group(s)
	if !g.Valid() {
		return "", fmt.Errorf("unknown group %q (want one of student, parent, teacher, principal, deputy, cppcc, public)", s)
	}
	return g, nil
}

// Urbanicity is the urban/town/rural stratum (城区/镇区/乡村).
type Urbanicity string

// The three urbanicity strata.
const (
	Urban Urbanicity = "城区"
	Town  Urbanicity = "镇区"
	Rural Urbanicity = "乡村"
)

// Urbanicities lists the strata in report order.
var Urbanicities = []Urbanicity{Urban, Town, Rural}

// Valid reports whether u is one of the three strata.
func (u Urbanicity) Valid() bool { return u == Urban || u == Town || u == Rural }

// ParseUrbanicity parses 城区/镇区/乡村.
func ParseUrbanicity(s string) (Urbanicity, error) {
	u := Urbanicity(s)
	if !u.Valid() {
		return "", fmt.Errorf("unknown urbanicity %q (want 城区, 镇区 or 乡村)", s)
	}
	return u, nil
}

// Band is a grade band of compulsory education.
type Band string

// The grade bands. BandLower is for parents only: students answer from grade 3.
const (
	BandLower  Band = "g1-2" // 小学低段
	BandMiddle Band = "g3-4" // 小学中段
	BandUpper  Band = "g5-6" // 小学高段
	BandJunior Band = "g7-9" // 初中
)

// Bands lists every band in order.
var Bands = []Band{BandLower, BandMiddle, BandUpper, BandJunior}

var bandLabels = map[Band]string{
	BandLower: "小学低段（1–2年级）", BandMiddle: "小学中段（3–4年级）",
	BandUpper: "小学高段（5–6年级）", BandJunior: "初中（7–9年级）",
}

// Label is the band's Chinese name.
func (b Band) Label() string { return bandLabels[b] }

// Valid reports whether b is a known band.
func (b Band) Valid() bool { _, ok := bandLabels[b]; return ok }

// Grades returns the grades (1..9) the band covers.
func (b Band) Grades() []int {
	switch b {
	case BandLower:
		return []int{1, 2}
	case BandMiddle:
		return []int{3, 4}
	case BandUpper:
		return []int{5, 6}
	case BandJunior:
		return []int{7, 8, 9}
	}
	return nil
}

// BandsFor lists the bands a group is split by (none for groups without bands).
func BandsFor(g Group) []Band {
	switch g {
	case Student:
		return []Band{BandMiddle, BandUpper, BandJunior}
	case Parent:
		return Bands
	}
	return nil
}

// ParseBand parses a band code.
func ParseBand(s string) (Band, error) {
	b := Band(s)
	if !b.Valid() {
		return "", fmt.Errorf("unknown grade band %q (want g1-2, g3-4, g5-6 or g7-9)", s)
	}
	return b, nil
}
