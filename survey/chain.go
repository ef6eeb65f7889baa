package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// GenesisHash is the prev hash of a survey's first response.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

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
// chain's own hashes, in a fixed order.
func (r *Response) CanonicalJSON() []byte {
	c := canonicalResponse{
		ID: r.ID, SurveyID: r.SurveyID, Seq: r.Seq, Code: r.Code, CodeKind: r.CodeKind,
		Form: r.Form, FormVersion: r.FormVersion, Group: r.Group, School: r.School,
		Township: r.Township, Urbanicity: r.Urbanicity, Band: r.Band, Answers: r.Answers,
		StartedAt:   TruncateTime(r.StartedAt).Format(time.RFC3339Nano),
		SubmittedAt: TruncateTime(r.SubmittedAt).Format(time.RFC3339Nano),
		DeviceID:    r.DeviceID, AddrHash: r.AddrHash, UAFamily: r.UAFamily,
	}
	b, err := json.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("survey: canonical encoding cannot fail: %v", err))
	}
	return b
}

// ChainHash computes SHA-256(prev ‖ canonical JSON) as lowercase hex.
func ChainHash(prev string, r *Response) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(r.CanonicalJSON())
	return hex.EncodeToString(h.Sum(nil))
}

// Seal places r after prev in the chain: it sets Seq, PrevHash and Hash.
func (r *Response) Seal(prevSeq int64, prevHash string) {
	r.Seq = prevSeq + 1
	r.PrevHash = prevHash
	r.Hash = ChainHash(prevHash, r)
}

// ChainError names the first record of a chain that does not verify.
type ChainError struct {
	Seq    int64
	ID     string
	Reason string
}

func (e *ChainError) Error() string {
	return fmt.Sprintf("hash chain broken at seq %d (response %s): %s", e.Seq, e.ID, e.Reason)
}

// Verifier checks a chain record by record, in sequence order.
type Verifier struct {
	seq  int64
	head string
}

// NewVerifier starts a verification at the genesis.
func NewVerifier() *Verifier { return &Verifier{head: GenesisHash} }

// Next checks the next record; it returns a *ChainError at the first mismatch.
func (v *Verifier) Next(r *Response) error {
	switch {
	case r.Seq != v.seq+1:
		return &ChainError{Seq: r.Seq, ID: r.ID, Reason: fmt.Sprintf("expected seq %d", v.seq+1)}
	case r.PrevHash != v.head:
		return &ChainError{Seq: r.Seq, ID: r.ID, Reason: "prev_hash does not match the previous record's hash"}
	case ChainHash(v.head, r) != r.Hash:
		return &ChainError{Seq: r.Seq, ID: r.ID, Reason: "content does not match its hash (edited after acceptance)"}
	}
	v.seq, v.head = r.Seq, r.Hash
	return nil
}

// Head is the last verified sequence number and hash.
func (v *Verifier) Head() (int64, string) { return v.seq, v.head }
