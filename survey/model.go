package survey

import "time"

// FormKind names one of the three questionnaire forms.
type FormKind string

// The three forms of docs/method.md §1.
const (
	StudentForm FormKind = "student" // 学生卷
	StaffForm   FormKind = "staff"   // 校长教师卷
	SocialForm  FormKind = "social"  // 社会卷
)

// FormKinds lists the forms in order.
var FormKinds = []FormKind{StudentForm, StaffForm, SocialForm}

// Dimensions are the eight policy dimensions plus the overall item's dimension.
var Dimensions = []string{"教育公平", "资源共享", "规范办学", "素质教育", "考试评价改革", "教育质量", "立德树人", "课业负担", "总体认可"}

// Item is one question of a form.
type Item struct {
	ID        string `json:"id" yaml:"id" bson:"id"`
	Text      string `json:"text" yaml:"text" bson:"text"`
	Dimension string `json:"dimension" yaml:"dimension" bson:"dimension"`
}

// Questionnaire is one versioned form: its items and how its options are worded.
type Questionnaire struct {
	Kind    FormKind `json:"kind" yaml:"kind" bson:"kind"`
	Version int      `json:"version" yaml:"version" bson:"version"`
	Title   string   `json:"title" yaml:"title" bson:"title"`
	Intro   string   `json:"intro" yaml:"intro" bson:"intro"`
	// Privacy is the short privacy notice shown on the form, one paragraph a
	// line; empty means DefaultPrivacy of the form's kind.
	Privacy string `json:"privacy,omitempty" yaml:"privacy,omitempty" bson:"privacy,omitempty"`
	// Labels words the options (option code → label); empty means DefaultOptionLabels.
	Labels map[string]string `json:"labels,omitempty" yaml:"labels,omitempty" bson:"labels,omitempty"`
	Items  []Item            `json:"items" yaml:"items" bson:"items"`
}

// Status is a survey's life-cycle state.
type Status string

// Survey states: draft → open → closed → archived.
const (
	Draft    Status = "draft"
	Open     Status = "open"
	Closed   Status = "closed"
	Archived Status = "archived"
)

// Survey is one county's recognition survey.
type Survey struct {
	ID           string                     `json:"id" bson:"_id"`
	County       string                     `json:"county" bson:"county"`
	Title        string                     `json:"title" bson:"title"`
	Opens        time.Time                  `json:"opens" bson:"opens"`
	Closes       time.Time                  `json:"closes" bson:"closes"`
	Status       Status                     `json:"status" bson:"status"`
	Forms        map[FormKind]Questionnaire `json:"forms" bson:"forms"`
	Scheme       Scheme                     `json:"scheme" bson:"scheme"`
	GroupWeights map[Group]float64          `json:"group_weights" bson:"group_weights"`
	Seed         int64                      `json:"seed,omitempty" bson:"seed,omitempty"`
	// RetentionDays is how long after the survey closes the respondents'
	// personal fields are kept (0: DefaultRetentionDays).
	RetentionDays int       `json:"retention_days,omitempty" bson:"retention_days,omitempty"`
	Created       time.Time `json:"created" bson:"created"`
	Updated       time.Time `json:"updated" bson:"updated"`
}

// CodeKind is the kind of access code.
type CodeKind string

// Access-code kinds.
const (
	SharedCode  CodeKind = "shared"  // one school × group (× band), with a quota
	OneTimeCode CodeKind = "onetime" // good for one response
)

// Code is what a QR code carries. Code is the random token in /s/<code>.
type Code struct {
	Code       string     `json:"code" bson:"_id"`
	SurveyID   string     `json:"survey_id" bson:"survey_id"`
	Kind       CodeKind   `json:"kind" bson:"kind"`
	Group      Group      `json:"group" bson:"group"`
	School     string     `json:"school,omitempty" bson:"school,omitempty"` // school code
	SchoolName string     `json:"school_name,omitempty" bson:"school_name,omitempty"`
	Township   string     `json:"township,omitempty" bson:"township,omitempty"`
	Urbanicity Urbanicity `json:"urbanicity,omitempty" bson:"urbanicity,omitempty"`
	Band       Band       `json:"band,omitempty" bson:"band,omitempty"`
	Quota      int        `json:"quota,omitempty" bson:"quota,omitempty"`
	Batch      string     `json:"batch,omitempty" bson:"batch,omitempty"`
	Created    time.Time  `json:"created" bson:"created"`
	// OutOfPlan is the reason given for a code issued outside the sampling
	// plan (empty for a code within it).
	OutOfPlan string `json:"out_of_plan,omitempty" bson:"out_of_plan,omitempty"`
	// Voided is when the code was voided (zero while it is live).
	Voided time.Time `json:"voided,omitzero" bson:"voided,omitempty"`
}

// Response is one accepted, raw, never-edited answer sheet.
type Response struct {
	ID          string            `json:"id" bson:"_id"`
	SurveyID    string            `json:"survey_id" bson:"survey_id"`
	Code        string            `json:"code" bson:"code"`
	CodeKind    CodeKind          `json:"code_kind" bson:"code_kind"`
	Form        FormKind          `json:"form" bson:"form"`
	FormVersion int               `json:"form_version" bson:"form_version"`
	Group       Group             `json:"group" bson:"group"`
	School      string            `json:"school,omitempty" bson:"school,omitempty"`
	Township    string            `json:"township,omitempty" bson:"township,omitempty"`
	Urbanicity  Urbanicity        `json:"urbanicity,omitempty" bson:"urbanicity,omitempty"`
	Band        Band              `json:"band,omitempty" bson:"band,omitempty"`
	Answers     map[string]string `json:"answers" bson:"answers"`
	StartedAt   time.Time         `json:"started_at" bson:"started_at"`
	SubmittedAt time.Time         `json:"submitted_at" bson:"submitted_at"`
	DeviceID    string            `json:"device_id,omitempty" bson:"device_id,omitempty"`
	AddrHash    string            `json:"addr_hash" bson:"addr_hash"`
	UAFamily    string            `json:"ua_family" bson:"ua_family"`
	// Format is the record format the chain hashes (see CanonicalJSON):
	// 0 for records written before format 2, FormatV2 since. Commit is the
	// format-2 commitment to DeviceID, AddrHash and UAFamily, which the
	// chain covers in their place so that they can be purged.
	Format int    `json:"format,omitempty" bson:"format,omitempty"`
	Commit string `json:"commit,omitempty" bson:"commit,omitempty"`
	// Chain fields: position in the survey's hash chain.
	Seq      int64  `json:"seq" bson:"seq"`
	PrevHash string `json:"prev_hash" bson:"prev_hash"`
	Hash     string `json:"hash" bson:"hash"`
}

// CompletionTime is how long the respondent took.
func (r *Response) CompletionTime() time.Duration { return r.SubmittedAt.Sub(r.StartedAt) }
