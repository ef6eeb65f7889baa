package report

import (
	"renke/evidence/checkpoint"
	"renke/survey"
)

// Verdict words (docs/method.md §4).
const (
	VerdictPass = "达标"
	VerdictFail = "未达标"
)

// Overall is the county's recognition rate with its verdict.
//
// JSON: the Estimate fields, plus bar (the pass mark), verdict (达标 when
// rate ≥ bar, else 未达标), passed (the same as a boolean) and ci_clears_bar
// (the whole 95% interval is at or above the bar).
type Overall struct {
	Estimate
	Bar         float64 `json:"bar"`
	Verdict     string  `json:"verdict"`
	Passed      bool    `json:"passed"`
	CIClearsBar bool    `json:"ci_clears_bar"`
}

// GroupRow is one group's rate. JSON: group (code), label (Chinese name),
// group_weight (normalised W_g in the overall rate), then the Estimate fields.
type GroupRow struct {
	Group       survey.Group `json:"group"`
	Label       string       `json:"label"`
	GroupWeight float64      `json:"group_weight"`
	Estimate
}

// Summary is what `renke estimate` prints: the overall rate and each group's.
type Summary struct {
	Overall Overall    `json:"overall"`
	Groups  []GroupRow `json:"groups"`
}

// Counts tallies the responses. JSON: responses (all read), excluded,
// no_score (no scored answer: counted, not rated), valid (rated).
type Counts struct {
	Responses int `json:"responses"`
	Excluded  int `json:"excluded"`
	NoScore   int `json:"no_score"`
	Valid     int `json:"valid"`
}

// Design describes the sampling design the variances use. JSON: psus,
// strata, df (psus − strata, R's degf) and lonely_strata (strata with one
// PSU, which contribute Z_p² as R's survey.lonely.psu = "adjust").
type Design struct {
	PSUs         int      `json:"psus"`
	Strata       int      `json:"strata"`
	DF           int      `json:"df"`
	LonelyStrata []string `json:"lonely_strata"`
}

// CellRow is one weighting cell. JSON: cell (CellKey), group, frame (N_c,
// null when the frame has no count), n (valid respondents n_c) and weight
// (w = N_c/n_c, or 1; with precomputed weights, the mean weight).
type CellRow struct {
	Cell   string       `json:"cell"`
	Group  survey.Group `json:"group"`
	Frame  *float64     `json:"frame"`
	N      int          `json:"n"`
	Weight float64      `json:"weight"`
}

// GroupEstimate is a rate within one group. JSON: group, label, Estimate fields.
type GroupEstimate struct {
	Group survey.Group `json:"group"`
	Label string       `json:"label"`
	Estimate
}

// DimensionRow is one dimension's rate over all groups (combined with W_g)
// and within each group. JSON: dimension, the Estimate fields, by_group.
type DimensionRow struct {
	Dimension string `json:"dimension"`
	Estimate
	ByGroup []GroupEstimate `json:"by_group"`
}

// ItemRow is one item's rate over the groups that answer its form. JSON:
// form, item (id), text, dimension, then the Estimate fields.
type ItemRow struct {
	Form      survey.FormKind `json:"form"`
	Item      string          `json:"item"`
	Text      string          `json:"text"`
	Dimension string          `json:"dimension"`
	Estimate
}

// DomainRow is the rate of an urbanicity or township (groups combined with
// W_g, domain estimation as R's svyby). JSON: key, then the Estimate fields,
// psus (PSUs with respondents in the domain), estimable, note and
// unweighted_rate.
//
// When the design gives the domain no variance (one PSU, such as a township
// with one sampled school, or no degrees of freedom) estimable is false and
// note says why (NoteOneSchool …): ci_low and ci_high are then the Wilson
// interval of the unweighted rate within the domain, as for a school, se is
// 0 and meaningless, and deff, effective_n and pass_probability are null.
type DomainRow struct {
	Key string `json:"key"`
	Estimate
	PSUs           int     `json:"psus"`
	Estimable      bool    `json:"estimable"`
	Note           string  `json:"note,omitempty"`
	UnweightedRate float64 `json:"unweighted_rate,omitempty"`
}

// SchoolRow is one school's rate. A school is one PSU, so its design-based
// SE only reflects respondents drawn outside the school (principals) and is
// often 0; the Wilson interval on the unweighted rate (respondents as n) is
// the one to show. JSON: school (code), township, urbanicity, the Estimate
// fields, unweighted_rate, wilson_low, wilson_high.
type SchoolRow struct {
	School     string            `json:"school"`
	Township   string            `json:"township"`
	Urbanicity survey.Urbanicity `json:"urbanicity"`
	Estimate
	UnweightedRate float64 `json:"unweighted_rate"`
	WilsonLow      float64 `json:"wilson_low"`
	WilsonHigh     float64 `json:"wilson_high"`
}

// Report is the full recognition report that `renke report --format json`
// prints and the renderers draw. JSON fields:
//
//	survey_id, county, title   the survey (set by the caller)
//	chain_head, chain_length   head hash and length of the response hash chain (set by the caller)
//	counts                     Counts
//	design                     Design
//	overall                    Overall
//	groups                     []GroupRow, in survey.Groups order, groups with respondents
//	dimensions                 []DimensionRow, in survey.Dimensions order
//	items                      []ItemRow, forms in order student, staff, social, items in form order
//	urbanicities               []DomainRow (城区, 镇区, 乡村)
//	townships                  []DomainRow, by township name
//	schools                    []SchoolRow, by school code
//	cells                      []CellRow, by cell key
//	weakest                    []Weak: per kind, up to WeakestPerKind rows below the bar, lowest first
//	quality                    QualitySummary (set by the caller; null when not run)
//	verification               Verification: the chains' checks (set by the caller)
//	checkpoint                 the response chain's head signed with the server's key, with
//	                           the key's fingerprint (set by the caller; absent when the
//	                           chain did not verify or no key is configured)
type Report struct {
	SurveyID     string                 `json:"survey_id,omitempty"`
	County       string                 `json:"county,omitempty"`
	Title        string                 `json:"title,omitempty"`
	ChainHead    string                 `json:"chain_head"`
	ChainLength  int64                  `json:"chain_length"`
	Counts       Counts                 `json:"counts"`
	Design       Design                 `json:"design"`
	Overall      Overall                `json:"overall"`
	Groups       []GroupRow             `json:"groups"`
	Dimensions   []DimensionRow         `json:"dimensions"`
	Items        []ItemRow              `json:"items"`
	Urbanicities []DomainRow            `json:"urbanicities"`
	Townships    []DomainRow            `json:"townships"`
	Schools      []SchoolRow            `json:"schools"`
	Cells        []CellRow              `json:"cells"`
	Weakest      []Weak                 `json:"weakest"`
	Quality      *QualitySummary        `json:"quality"`
	Verification *Verification          `json:"verification,omitempty"`
	Checkpoint   *checkpoint.Checkpoint `json:"checkpoint,omitempty"`
	// Scoring is the survey's scheme per form, in each form's own labels.
	Scoring []survey.FormScoring `json:"scoring,omitempty"`
}

// WeakestPerKind is how many rows of each kind Report.Weakest names.
const WeakestPerKind = 3

// Weak is a breakdown row whose rate is below the bar: what pulls the rate
// down (docs/method.md §4). JSON: kind (group, dimension, item, township or
// school), key (group code, dimension, form:item, township, school code),
// label (Chinese name or item text), rate, n.
type Weak struct {
	Kind  string  `json:"kind"`
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Rate  float64 `json:"rate"`
	N     int     `json:"n"`
}
