// Package hashchain links records into a SHA-256 hash chain and verifies one.
//
// Each record carries its sequence number (1, 2, …), the hash of the record
// before it (Genesis for the first) and its own hash, SHA-256(prev ‖ its
// canonical encoding) in lowercase hex. Editing, removing or reordering a
// stored record changes a hash that a later record or the published head
// depends on, so a walk from Genesis names the first record that was touched.
package hashchain

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// Genesis is the prev hash of a chain's first record.
const Genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// Link computes SHA-256(prev ‖ canonical) as lowercase hex.
func Link(prev string, canonical []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// Record is a chained record as a Verifier reads it.
type Record interface {
	// ChainLinks returns the record's id, sequence number, prev hash and hash.
	ChainLinks() (id string, seq int64, prev, hash string)
	// CanonicalJSON is the encoding the record's hash covers.
	CanonicalJSON() []byte
}

// Error names the first record of a chain that does not verify.
type Error struct {
	Kind   string // what the chain holds: "response", "audit entry"
	Seq    int64
	ID     string
	Reason string
}

func (e *Error) Error() string {
	return fmt.Sprintf("hash chain broken at seq %d (%s %s): %s", e.Seq, e.Kind, e.ID, e.Reason)
}

// Verifier checks a chain record by record, in sequence order.
type Verifier struct {
	kind string
	seq  int64
	head string
	err  error // the first error Add met
}

// NewVerifier starts a verification of a chain of kind records at Genesis.
func NewVerifier(kind string) *Verifier { return &Verifier{kind: kind, head: Genesis} }

// Resume continues a verification from a head already verified: record seq
// with hash head.
func Resume(kind string, seq int64, head string) *Verifier {
	return &Verifier{kind: kind, seq: seq, head: head}
}

// Next checks the next record; it returns an *Error at the first mismatch.
func (v *Verifier) Next(r Record) error {
	id, seq, prev, hash := r.ChainLinks()
	fail := func(reason string) error { return &Error{Kind: v.kind, Seq: seq, ID: id, Reason: reason} }
	switch {
	case seq != v.seq+1:
		return fail(fmt.Sprintf("expected seq %d", v.seq+1))
	case prev != v.head:
		return fail("prev_hash does not match the previous record's hash")
	case Link(v.head, r.CanonicalJSON()) != hash:
		return fail("content does not match its hash (edited after it was written)")
	}
	v.seq, v.head = seq, hash
	return nil
}

// Head is the last verified sequence number and hash (0 and Genesis before
// the first record).
func (v *Verifier) Head() (int64, string) { return v.seq, v.head }

// Add checks r unless an earlier record failed: a walk that reads the whole
// chain anyway keeps its first error this way (see State).
func (v *Verifier) Add(r Record) {
	if v.err == nil {
		v.err = v.Next(r)
	}
}

// State is what a verification found.
type State struct {
	Length int64  // records verified from the genesis
	Head   string // the hash they end on
	Err    error  // the first record that did not verify (nil: none)
}

// State returns the head verified so far and the first error Add met.
func (v *Verifier) State() State { return State{Length: v.seq, Head: v.head, Err: v.err} }
