package survey

import (
	"encoding/json"
	"fmt"
	"time"

	"renke/hashchain"
)

// GenesisHash is the prev hash of a survey's first response.
const GenesisHash = hashchain.Genesis

// canonicalResponse fixes the field order and encoding that the chain hashes.
// Times are UTC with millisecond precision, as the store keeps them.
type canonicalResponse struct {
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
	Answers     map[string]string `json:"answers"` // encoding/json sorts map keys
	StartedAt   string            `json:"started_at"`
	SubmittedAt string            `json:"submitted_at"`
	DeviceID    string            `json:"device_id"`
	AddrHash    string            `json:"addr_hash"`
	UAFamily    string            `json:"ua_family"`
}

// TruncateTime rounds t to what the store keeps (UTC milliseconds).
func TruncateTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// CanonicalJSON is the response's canonical encoding: every field but the
// chain's own hashes, in a fixed order. Format 1 (Format 0 in the record)
// holds the personal fields themselves; format 2 holds, first, its format
// number and, in their place, their commitment (see CommitPersonal).
func (r *Response) CanonicalJSON() []byte {
	var c any = r.canonicalV1()
	if r.Format >= FormatV2 {
		c = r.canonicalV2()
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("survey: canonical encoding cannot fail: %v", err))
	}
	return b
}

func (r *Response) canonicalV1() canonicalResponse {
	return canonicalResponse{
		ID: r.ID, SurveyID: r.SurveyID, Seq: r.Seq, Code: r.Code, CodeKind: r.CodeKind,
		Form: r.Form, FormVersion: r.FormVersion, Group: r.Group, School: r.School,
		Township: r.Township, Urbanicity: r.Urbanicity, Band: r.Band, Answers: r.Answers,
		StartedAt:   TruncateTime(r.StartedAt).Format(time.RFC3339Nano),
		SubmittedAt: TruncateTime(r.SubmittedAt).Format(time.RFC3339Nano),
		DeviceID:    r.DeviceID, AddrHash: r.AddrHash, UAFamily: r.UAFamily,
	}
}

// ChainHash computes SHA-256(prev ‖ canonical JSON of the record's format)
// as lowercase hex: what an offline verifier recomputes for each response.
func ChainHash(prev string, r *Response) string { return hashchain.Link(prev, r.CanonicalJSON()) }

// ChainLinks returns the response's place in its survey's chain.
func (r *Response) ChainLinks() (id string, seq int64, prev, hash string) {
	return r.ID, r.Seq, r.PrevHash, r.Hash
}

// Seal places r after prev in the chain: it sets Seq, PrevHash and Hash.
func (r *Response) Seal(prevSeq int64, prevHash string) {
	r.Seq = prevSeq + 1
	r.PrevHash = prevHash
	r.Hash = ChainHash(prevHash, r)
}

// ChainError names the first response of a chain that does not verify.
type ChainError = hashchain.Error

// Verifier checks a survey's chain response by response, in sequence order.
type Verifier struct{ v *hashchain.Verifier }

// NewVerifier starts a verification at the genesis.
func NewVerifier() *Verifier { return &Verifier{hashchain.NewVerifier("response")} }

// ResumeVerifier continues a verification from a head already verified.
func ResumeVerifier(seq int64, head string) *Verifier {
	return &Verifier{hashchain.Resume("response", seq, head)}
}

// Next checks the next response; it returns a *ChainError at the first mismatch.
func (v *Verifier) Next(r *Response) error { return v.v.Next(r) }

// Head is the last verified sequence number and hash.
func (v *Verifier) Head() (int64, string) { return v.v.Head() }

// NewChecker starts a check of a survey's chain that names every break
// (see hashchain.Checker).
func NewChecker() *hashchain.Checker { return hashchain.NewChecker("response") }

// ResumeChecker continues a check from a head already verified.
func ResumeChecker(seq int64, head string) *hashchain.Checker {
	return hashchain.ResumeChecker("response", seq, head)
}
