package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"renke/hashchain"
)

// FormatV2 is the record format whose chain hash covers the respondent's
// personal fields (device id, address hash, user agent) only through a
// keyed commitment, so they can be purged with the chain still verifying.
const FormatV2 = 2

// Commitment is HMAC-SHA256 under the survey's commitment key of the
// personal fields, as lowercase hex. The key is kept outside the responses.
func Commitment(key []byte, deviceID, addrHash, uaFamily string) string {
	b, _ := json.Marshal([]string{deviceID, addrHash, uaFamily}) // cannot fail
	m := hmac.New(sha256.New, key)
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

// CommitPersonal makes r a format-2 record committing to its personal
// fields under key; Seal it afterwards.
func (r *Response) CommitPersonal(key []byte) {
	r.Format, r.Commit = FormatV2, Commitment(key, r.DeviceID, r.AddrHash, r.UAFamily)
}

// Purged says the personal fields of a format-2 record were removed.
func (r *Response) Purged() bool {
	return r.Format >= FormatV2 && r.DeviceID == "" && r.AddrHash == "" && r.UAFamily == ""
}

// CommitmentHolds says the record's personal fields are those its
// commitment covers (true for a purged record and for a format-1 record,
// whose chain hash covers the fields themselves).
func (r *Response) CommitmentHolds(key []byte) bool {
	if r.Format < FormatV2 || r.Purged() {
		return true
	}
	return hmac.Equal([]byte(r.Commit), []byte(Commitment(key, r.DeviceID, r.AddrHash, r.UAFamily)))
}

// canonicalResponseV2 is format 2's canonical record: the personal fields
// replaced by their commitment.
type canonicalResponseV2 struct {
	Format      int               `json:"format"`
	ID          string            `json:"id"`
	SurveyID    string            `json:"survey_id"`
	Seq         int64             `json:"seq"`
	Code        string            `json:"code"`
	CodeKind    CodeKind          `json:"code_kind"`
	Form        FormKind          `json:"form"`
	FormVersion int               `json:"form_version"`
	Group       Group             `json:"group"`
	School      string            `json:"school"`
	Township    string            `json:"township"`
	Urbanicity  Urbanicity        `json:"urbanicity"`
	Band        Band              `json:"band"`
	Answers     map[string]string `json:"answers"`
	StartedAt   string            `json:"started_at"`
	SubmittedAt string            `json:"submitted_at"`
	Commit      string            `json:"commit"`
}

func (r *Response) canonicalV2() canonicalResponseV2 {
	return canonicalResponseV2{Format: r.Format,
		ID: r.ID, SurveyID: r.SurveyID, Seq: r.Seq, Code: r.Code, CodeKind: r.CodeKind,
		Form: r.Form, FormVersion: r.FormVersion, Group: r.Group, School: r.School,
		Township: r.Township, Urbanicity: r.Urbanicity, Band: r.Band, Answers: r.Answers,
		StartedAt:   TruncateTime(r.StartedAt).Format(time.RFC3339Nano),
		SubmittedAt: TruncateTime(r.SubmittedAt).Format(time.RFC3339Nano),
		Commit:      r.Commit}
}

// ReasonUncommitted is the break of a format-2 record whose personal fields
// are not those its commitment covers.
const ReasonUncommitted = "device id, address hash or user agent changed (they do not match their commitment)"

// CommitmentBreak names r as a record whose personal fields were changed.
func CommitmentBreak(r *Response) hashchain.Break {
	return hashchain.Break{From: r.Seq, To: r.Seq, ID: r.ID, Reason: ReasonUncommitted}
}
