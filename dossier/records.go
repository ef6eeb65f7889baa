package dossier

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"renke/survey"
)

// responseRecord is one line of responses.jsonl.
//
// It is the only place that decides how a response is written into the
// package, and recomputeChain the only place that rehashes one. A format-2
// record's chain hash covers the device id, address hash and user agent
// only through their commitment, so the package carries the commitment and,
// in place of the device id and address hash, pseudonyms keyed by p (a key
// made for this package and then thrown away): equal values stay equal, so
// the quality rules recompute as published, but nothing links them to the
// server's records or to another package. A format-1 record (written before
// format 2) hashes the fields themselves and is written as the chain holds
// it: the address only as the server's keyed hash, the device id as the
// browser's random id.
func responseRecord(r *survey.Response, p pseudonyms) ([]byte, error) {
	rec := *r
	if rec.Format >= survey.FormatV2 {
		rec.DeviceID, rec.AddrHash = p.of("D", rec.DeviceID), p.of("A", rec.AddrHash)
	}
	b, err := json.Marshal(&rec)
	if err != nil {
		return nil, fmt.Errorf("response %s: %w", r.ID, err)
	}
	return b, nil
}

// pseudonyms is the key of one package's device and address pseudonyms.
type pseudonyms []byte

// newPseudonyms makes a fresh key.
func newPseudonyms() (pseudonyms, error) {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("pseudonym key: %w", err)
	}
	return k, nil
}

// of is v's pseudonym ("" stays "", as after a purge).
func (p pseudonyms) of(kind, v string) string {
	if v == "" {
		return ""
	}
	m := hmac.New(sha256.New, p)
	m.Write([]byte(kind + "\x00" + v))
	return kind + hex.EncodeToString(m.Sum(nil))[:16]
}

// readResponse reads one line of responses.jsonl back.
func readResponse(line []byte) (survey.Response, error) {
	var r survey.Response
	if err := json.Unmarshal(line, &r); err != nil {
		return r, fmt.Errorf("不是有效的应答记录：%w", err)
	}
	return r, nil
}

// recomputeChain rehashes every response with the survey package's chain
// hash and checks the links, naming every record that does not verify (not
// only the first): its own hash against its content, then its place after
// the record before it.
func recomputeChain(rs []survey.Response) []string {
	var out []string
	prevSeq, prevHash := int64(0), survey.GenesisHash
	for i := range rs {
		r := &rs[i]
		at := fmt.Sprintf("%s 第 %d 行（seq %d，应答 %s）", FileResponses, i+1, r.Seq, r.ID)
		if got := survey.ChainHash(r.PrevHash, r); got != r.Hash {
			out = append(out, at+"：内容与其哈希不符（记录被改动）")
		}
		if r.Seq != prevSeq+1 {
			out = append(out, fmt.Sprintf("%s：序号应为 %d（缺少或多出记录）", at, prevSeq+1))
		}
		if r.PrevHash != prevHash {
			out = append(out, at+"：prev_hash 与上一条记录的哈希不符")
		}
		prevSeq, prevHash = r.Seq, r.Hash
	}
	return out
}

// codeRecord is one line of codes.jsonl: an access code with its token
// replaced by the token's SHA-256, so the package cannot be used to answer.
type codeRecord struct {
	CodeSHA256 string            `json:"code_sha256"`
	Kind       survey.CodeKind   `json:"kind"`
	Group      survey.Group      `json:"group"`
	School     string            `json:"school,omitempty"`
	Township   string            `json:"township,omitempty"`
	Urbanicity survey.Urbanicity `json:"urbanicity,omitempty"`
	Band       survey.Band       `json:"band,omitempty"`
	Quota      int               `json:"quota,omitempty"`
}

// newCodeRecord hides a code's token.
func newCodeRecord(c *survey.Code) codeRecord {
	return codeRecord{CodeSHA256: tokenHash(c.Code), Kind: c.Kind, Group: c.Group, School: c.School,
		Township: c.Township, Urbanicity: c.Urbanicity, Band: c.Band, Quota: c.Quota}
}

// tokenHash is the SHA-256 (hex) of an access-code token.
func tokenHash(code string) string {
	s := sha256.Sum256([]byte(code))
	return hex.EncodeToString(s[:])
}
