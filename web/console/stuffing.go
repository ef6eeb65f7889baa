package console

import (
	"time"

	"renke/report"
	"renke/survey"
)

// StuffingPage is stuffing.html: one stuffing finding and the responses it
// rests on, for an evaluator to judge (and to override one by one).
type StuffingPage struct {
	Survey      *survey.Survey
	Finding     report.Finding
	SchoolName  string
	Items       []string // item ids, the order of each row's Answers
	Responses   []EvidenceRow
	CanOverride bool
}

// EvidenceRow is one response behind a finding, as the console and the JSON
// API show it: its answers in item order (one option code per item, "-" when
// unanswered), times, and the keyed address and device as group labels
// (A1, A2… and D1, D2… within the finding) with how many of the survey's
// responses share each — never the address itself.
type EvidenceRow struct {
	ID               string       `json:"response_id"`
	Group            survey.Group `json:"group"`
	CodeKind         string       `json:"code_kind"`
	Answers          string       `json:"answers"`
	StartedAt        time.Time    `json:"started_at"`
	SubmittedAt      time.Time    `json:"submitted_at"`
	Seconds          float64      `json:"seconds"`
	AddressGroup     string       `json:"address_group"`
	AddressResponses int          `json:"address_responses"`
	AddressStaff     bool         `json:"address_staff"` // the school's teachers or principal answered from it too
	DeviceGroup      string       `json:"device_group"`
	DeviceResponses  int          `json:"device_responses"`
	Flags            []string     `json:"flags"`
	Excluded         bool         `json:"excluded"`
}
