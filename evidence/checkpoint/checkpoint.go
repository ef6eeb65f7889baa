// Package checkpoint signs and checks chain checkpoints: statements, signed
// with the server's Ed25519 key, that a hash chain (a survey's responses or
// the audit log) had reached a sequence number with a given head hash at a
// given time. Kept outside the database (a filed report, a second machine, a
// write-once disk), a checkpoint lets anyone tell later whether the stored
// chain still extends it: a record before it deleted, changed or rewritten
// with recomputed hashes, or a tail cut below it, no longer does.
package checkpoint

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"renke/hashchain"
	"renke/signing"
)

// AuditChain is the chain name of the audit log; a survey's chain is named
// by the survey's id.
const AuditChain = "audit"

// Checkpoint is one signed statement about a chain's head.
type Checkpoint struct {
	Chain     string    `json:"chain" bson:"chain"` // survey id, or AuditChain
	Seq       int64     `json:"seq" bson:"seq"`
	Head      string    `json:"head" bson:"head"`
	At        time.Time `json:"at" bson:"at"`
	Key       string    `json:"key" bson:"key"`               // the signing key's fingerprint
	PublicKey string    `json:"public_key" bson:"public_key"` // the key itself, base64
	Signature string    `json:"signature" bson:"signature"`   // base64 Ed25519 over Message
}

// Sign makes a checkpoint of chain at seq with hash head, at time at
// (rounded to UTC milliseconds).
func Sign(k *signing.Key, chain string, seq int64, head string, at time.Time) *Checkpoint {
	c := &Checkpoint{Chain: chain, Seq: seq, Head: head, At: at.UTC().Truncate(time.Millisecond),
		Key: k.Fingerprint(), PublicKey: signing.EncodePublic(k.Public())}
	c.Signature = base64.StdEncoding.EncodeToString(k.Sign(c.Message()))
	return c
}

// Message is the signed text: one field a line, in a fixed order.
func (c *Checkpoint) Message() []byte {
	return []byte("renke checkpoint v1\nchain " + c.Chain + "\nseq " + strconv.FormatInt(c.Seq, 10) +
		"\nhead " + c.Head + "\nat " + c.At.UTC().Truncate(time.Millisecond).Format(time.RFC3339Nano) + "\n")
}

// ErrBadSignature means a checkpoint was not signed by the key it names, or
// was changed after it was signed.
var ErrBadSignature = errors.New("checkpoint signature does not verify")

// Verify checks the signature with trusted (the deployment's public key),
// or, when trusted is nil, with the key the checkpoint carries (which only
// shows it was not changed since signed; compare Key with the fingerprint
// printed on the filed report).
func (c *Checkpoint) Verify(trusted ed25519.PublicKey) error {
	pub := trusted
	if pub == nil {
		var err error
		if pub, err = signing.DecodePublic(c.PublicKey); err != nil {
			return fmt.Errorf("checkpoint of %s: %w", c.Chain, err)
		}
	}
	if signing.Fingerprint(pub) != c.Key {
		return fmt.Errorf("checkpoint of %s: signed by key %s, not %s: %w", c.Chain, c.Key, signing.Fingerprint(pub), ErrBadSignature)
	}
	sig, err := base64.StdEncoding.DecodeString(c.Signature)
	if err != nil || !signing.Verify(pub, c.Message(), sig) {
		return fmt.Errorf("checkpoint of %s at seq %d: %w", c.Chain, c.Seq, ErrBadSignature)
	}
	return nil
}

// Anchor is the checkpoint as a verifier compares a chain with it; source
// says where it came from ("the newest stored checkpoint", "checkpoint file x").
func (c *Checkpoint) Anchor(source string) hashchain.Anchor {
	return hashchain.Anchor{Source: source, Seq: c.Seq, Head: c.Head, At: c.At}
}

// Write writes the checkpoint as indented JSON.
func (c *Checkpoint) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}

// Read reads a checkpoint written by Write and checks it is complete and
// signed by the key it carries.
func Read(r io.Reader) (*Checkpoint, error) {
	var c Checkpoint
	dec := json.NewDecoder(io.LimitReader(r, 1<<16))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("read checkpoint: %w", err)
	}
	var missing []string
	for name, v := range map[string]string{"chain": c.Chain, "head": c.Head, "key": c.Key, "public_key": c.PublicKey, "signature": c.Signature} {
		if v == "" {
			missing = append(missing, name)
		}
	}
	if c.At.IsZero() {
		missing = append(missing, "at")
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("read checkpoint: incomplete (missing %s)", strings.Join(missing, ", "))
	}
	if err := c.Verify(nil); err != nil {
		return nil, err
	}
	return &c, nil
}
