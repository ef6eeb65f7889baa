// Package report turns valid responses into the weighted recognition rate of
// docs/method.md §3–§4: weights, design-based (Taylor-linearised) standard errors,
// Student-t intervals, design effects and every breakdown the report shows,
// plus the data-quality rules and the replication file. It knows nothing of
// storage or HTTP, and its numbers agree with R's survey package.
package report

import (
	"math"
	"strings"

	"renke/survey"
)

// Unit is one response as the estimator sees it: its design labels and its
// scores. Build one with FromResponse, or read them from a replication file.
type Unit struct {
	ID    string       // response id; must be unique
	Group survey.Group // respondent group
	// Cell is the weighting cell (CellKey). Empty means the group itself.
	Cell string
	// Stratum and PSU are the design stratum and primary sampling unit of
	// docs/method.md §4. PSUs are nested in strata (R's nest=TRUE). A unit whose
	// PSU equals its ID is its own PSU, which the estimator keeps without
	// per-PSU state, unless LabelPSU is set.
	Stratum string
	PSU     string
	// LabelPSU takes PSU as a label whatever it equals, as R does: units
	// sharing it share a PSU even when it is one unit's own ID. Units read
	// from a replication file set it; the server's own units leave it unset.
	LabelPSU bool
	// Weight is the precomputed weight, used only when the estimator is
	// configured with PrecomputedWeights; otherwise w = N_c/n_c.
	Weight float64
	Y      float64 // respondent score y_i (docs/method.md §3)
	HasY   bool    // false when no answer was scored: counted, not rated
	// Excluded marks a response excluded by the quality rules or an evaluator.
	Excluded   bool
	Urbanicity survey.Urbanicity
	Township   string
	School     string // school code
	// Form and Scores give the item scores for the item and dimension
	// breakdowns: Scores[i] is the score of Form's item i, NaN when the item
	// was not answered with a scored option. Nil Scores means no breakdowns.
	Form   survey.FormKind
	Scores []float64
}

// Valid reports whether the unit enters the estimates (not excluded, with a score).
func (u *Unit) Valid() bool { return u.HasY && !u.Excluded }

// CellKey is the weighting cell of docs/method.md §4: group × urbanicity, and ×
// grade band for students and parents, joined by "|" (e.g. "parent|城区|g1-2").
func CellKey(g survey.Group, u survey.Urbanicity, b survey.Band) string {
	if g.HasBand() {
		return string(g) + "|" + string(u) + "|" + string(b)
	}
	return string(g) + "|" + string(u)
}

// CellLabel is the Chinese name of a weighting cell or design stratum key
// (CellKey, DesignLabels): "parent|乡村|g1-2" is 家长 · 乡村 · 1–2年级,
// "cppcc|" is 政协委员, "school|城区" is 学校 · 城区. A key it cannot read is
// returned as it is.
func CellLabel(key string) string {
	parts := strings.Split(key, "|")
	var out []string
	switch g := survey.Group(parts[0]); {
	case g.Valid():
		out = append(out, g.Label())
	case parts[0] == strings.TrimSuffix(SchoolStratumPrefix, "|"):
		out = append(out, "学校")
	default:
		return key
	}
	for _, p := range parts[1:] {
		switch {
		case p == "":
		case survey.Urbanicity(p).Valid():
			out = append(out, p)
		case survey.Band(p).Valid():
			out = append(out, survey.Band(p).Label())
		default:
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// SchoolStratumPrefix starts the design stratum of the groups reached through
// a school; the school's urbanicity follows ("school|城区").
const SchoolStratumPrefix = "school|"

// DesignLabels returns the design stratum and PSU of a response (docs/method.md §4):
// students, parents and teachers have their school as PSU, in stratum
// "school|<urbanicity>"; the other groups are each their own PSU, in stratum
// "<group>|<urbanicity>".
func DesignLabels(r *survey.Response) (stratum, psu string) {
	if r.Group.ViaSchool() {
		return SchoolStratumPrefix + string(r.Urbanicity), r.School
	}
	return string(r.Group) + "|" + string(r.Urbanicity), r.ID
}

// FromResponse derives the estimator's unit from a raw response: cell,
// stratum, PSU, y_i by the scheme, and the per-item scores along q's items.
// Excluded is left false: the caller applies the quality decisions.
func FromResponse(r *survey.Response, q survey.Questionnaire, scheme survey.Scheme) Unit {
	stratum, psu := DesignLabels(r)
	u := Unit{
		ID: r.ID, Group: r.Group, Cell: CellKey(r.Group, r.Urbanicity, r.Band),
		Stratum: stratum, PSU: psu, Weight: 1,
		Urbanicity: r.Urbanicity, Township: r.Township, School: r.School,
		Form: q.Kind,
	}
	u.Y, u.HasY = scheme.RespondentScore(r.Answers)
	u.Scores = make([]float64, len(q.Items))
	for i, it := range q.Items {
		if v, ok := scheme.Score(r.Answers[it.ID]); ok {
			u.Scores[i] = v
		} else {
			u.Scores[i] = math.NaN()
		}
	}
	return u
}
