package console

import (
	"html/template"
	"time"

	"renke/account"
	"renke/report"
	"renke/report/render"
	"renke/sampling"
	"renke/survey"
)

// LoginPage is login.html's data. CSRF is the login form's own token (there
// is no session yet).
type LoginPage struct {
	Name string
	Next string
	CSRF string
}

// AccountPage is account.html's data.
type AccountPage struct {
	TwoFactor bool       // the second factor is on
	Offer     *TOTPOffer // a key offered to scan, while turning it on
}

// TOTPOffer is an authenticator key offered to the user: the QR code of its
// otpauth URL as a data: URL, the key to type by hand, and the signed
// fields the confirming form sends back.
type TOTPOffer struct {
	Secret  string
	QR      template.URL
	Expires int64
	MAC     string
}

// CountiesPage is counties.html: the counties the user sees.
type CountiesPage struct {
	Counties []CountyRow
	// Unregistered are county names that surveys use but no county record has (admins only).
	Unregistered []string
	// Users are every user, for the admin's assignment form.
	Users []account.User
}

// CountyRow is one county with its survey counts and assigned users.
type CountyRow struct {
	County  account.County
	Surveys int
	Open    int
	Users   []account.User // assigned users (admins only)
}

// SurveysPage is surveys.html: one county's surveys.
type SurveysPage struct {
	County  account.County
	Surveys []survey.Survey
}

// FormSummary describes one questionnaire form of a survey or template.
type FormSummary struct {
	Kind    survey.FormKind
	Label   string
	Title   string
	Version int
	Items   int
	Groups  string // the groups that answer it, in Chinese
	// Previews link the form as each of its groups sees it on a phone
	// (Value: the preview's URL, Label: the group).
	Previews []Option
}

// NewSurveyPage is survey_new.html: the creation form.
type NewSurveyPage struct {
	County account.County
	Title  string
	Opens  time.Time
	Closes time.Time
	Scheme string // "default" or "graded"
	Forms  []FormSummary
	// Default and Graded are the two schemes in each form's own words.
	Default, Graded []survey.FormScoring
}

// WeightRow is one group's weight W_g in the editing form.
type WeightRow struct {
	Group survey.Group
	Label string
	Value float64
}

// SchemeRow is one option's score in the editing form; Score is "" when
// unscored. Label names the level neutrally with each form's words for it.
type SchemeRow struct {
	Code  string
	Label string
	Score string
}

// SurveyPage is survey.html: a survey's settings and actions.
type SurveyPage struct {
	Survey    *survey.Survey
	Forms     []FormSummary
	Weights   []WeightRow
	Scheme    []SchemeRow
	Scoring   []survey.FormScoring // the scheme in each form's own words, a table per form
	Editable  bool                 // a draft and the user may edit it
	CanOpen   bool
	CanClose  bool
	CanPurge  bool // an admin may remove the respondents' personal fields (the survey ended)
	Responses int64
	Audit     []account.Entry
}

// CodeRow is one shared code with its use count and state.
type CodeRow struct {
	Code  survey.Code
	URL   string
	Used  int64
	State survey.CodeUse
}

// SchoolCodes are the shared codes of one school (or, with no name, those
// tied to no school), in the lists' order.
type SchoolCodes struct {
	Name     string // school name (its code when the name is unknown); empty: not tied to a school
	Township string
	Codes    []CodeRow
}

// BatchRow is one batch of one-time codes with its use count.
type BatchRow struct {
	Batch   string
	Purpose string // what the batch is for: group, school or county, band, out-of-plan reason
	Group   survey.Group
	School  string
	Created time.Time
	Count   int
	Used    int64
	Voided  int
}

// Option is one choice of a select element.
type Option struct {
	Value string
	Label string
}

// IssueForm is what the coordinator typed into the issuing form.
type IssueForm struct {
	Kind, Group, Band, School, SchoolName, Township, Urbanicity string
	Quota, Count                                                int
	OutOfPlan                                                   string // reason for issuing outside the plan
}

// CodesPage is codes.html: issuing and listing a survey's codes.
type CodesPage struct {
	Survey       *survey.Survey
	Schools      []SchoolCodes // shared codes grouped by school, in pinyin order
	Batches      []BatchRow
	Groups       []Option
	Bands        []Option
	Urbanicities []Option
	Form         IssueForm
	Issued       int // codes issued by the request just made
}

// QuotaRow is the fill of one school × group × band.
type QuotaRow struct {
	School     string       `json:"school"`
	SchoolName string       `json:"school_name,omitempty"`
	Group      survey.Group `json:"group"`
	GroupLabel string       `json:"group_label"`
	Band       survey.Band  `json:"band,omitempty"`
	BandLabel  string       `json:"band_label,omitempty"`
	Quota      int64        `json:"quota"`
	Used       int64        `json:"used"`
}

// HourRow is the number of responses submitted in one hour.
type HourRow struct {
	Hour  time.Time `json:"hour"`
	Count int64     `json:"count"`
}

// Progress is a survey's live progress.
type Progress struct {
	Survey    string     `json:"survey"`
	Status    string     `json:"status"`
	Responses int64      `json:"responses"`
	Quota     int64      `json:"quota"`
	Quotas    []QuotaRow `json:"quotas"`
	Hours     []HourRow  `json:"hours"`
	MaxHour   int64      `json:"-"`
	// Flagged and Excluded count responses by the quality rules (with overrides).
	Flagged  int       `json:"flagged"`
	Excluded int       `json:"excluded"`
	Updated  time.Time `json:"updated"`
}

// ProgressPage is progress.html.
type ProgressPage struct {
	Survey   *survey.Survey
	Progress Progress
}

// UsersPage is users.html (admins only).
type UsersPage struct {
	Users    []account.User
	Counties []account.County
	Roles    []account.Role
	// NewPassword is shown once, after a user was created or a password reset.
	NewPassword    string
	NewPasswordFor string
	// Failures are the recent failed logins by user name (all addresses).
	Failures map[string]account.LoginFailures
}

// AuditFilter is the audit page's filter form.
type AuditFilter struct {
	County string
	Survey string
	Actor  string
}

// AuditPage is audit.html (admins only).
type AuditPage struct {
	Entries []account.Entry
	Filter  AuditFilter
	// Chain is the whole log's hash chain, verified for this page.
	Chain *AuditChain
	// Older is the link to the next page of older entries, "" when none.
	Older string
}

// AuditChain is what verifying the audit log's hash chain found.
type AuditChain struct {
	Length int64  // entries verified from the first
	Head   string // the hash they end on
	Error  string // the first entry that did not verify ("" when none)
}

// ErrorPage is error.html.
type ErrorPage struct {
	Status  int
	Message string
}

// ReportPage is report.html: the estimate, data quality, overrides and downloads.
type ReportPage struct {
	Survey   *survey.Survey
	Report   *report.Report // nil when no report could be computed
	NoReport string         // why not
	// NoData is the no-data state's text when the survey has no response to
	// estimate from yet ("" otherwise).
	NoData     string
	Quality    *report.QualitySummary // the quality rules' tally (with overrides)
	Overrides  []report.Override
	ChainError string
	// AuditChain is the audit log's chain as the report build verified it.
	AuditChain *AuditChain
	// Unaudited are the response ids of overrides no audit entry records.
	Unaudited   []string
	CanOverride bool
	// Rules are the survey's data-quality rules; CanSetRules whether the user may change them.
	Rules       QualityRules
	CanSetRules bool
}

// FrameSummary describes a stored sampling frame.
type FrameSummary struct {
	County   sampling.County `json:"county"`
	Schools  int             `json:"schools"`
	Pupils   int             `json:"pupils"`
	Teachers int             `json:"teachers"`
}

// SamplingPage is sampling.html: the frame, the drawn plan and their forms.
type SamplingPage struct {
	Survey   *survey.Survey
	Frame    *FrameSummary // nil before a frame is uploaded
	Plan     *sampling.Plan
	Problems []sampling.Problem // of a refused upload, by sheet, row and column
	CanEdit  bool               // upload a frame, draw a plan (draft surveys)
	CanIssue bool               // issue the plan's shared codes
	// Redraw, when set, asks to confirm a redraw that voids the plan's codes.
	Redraw *RedrawConfirm
}

// RedrawConfirm is the confirmation of a redraw: what it voids, and the
// drawing options as typed (posted again with void_codes=1).
type RedrawConfirm struct {
	Message                 string
	Seed, Rate, Floor, Take string
}

// CityPage is city.html: every survey of the counties the user sees, weakest first.
type CityPage struct {
	render.CitySummary
	// Chart is the rates chart as a data: URL of an SVG image ("" without estimates).
	Chart template.URL
}

// QualityRules is a survey's data-quality rules as the report page's form and
// the JSON API show and take them: flat, with times in seconds and minutes
// (the domain's report.RuleSettings, where their bounds and messages live).
type QualityRules = report.RuleSettings
