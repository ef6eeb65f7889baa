package hashchain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Break is one place where a chain does not verify: the records From to To
// (one record when they are equal) and why.
type Break struct {
	From   int64  `json:"from"`
	To     int64  `json:"to"`
	ID     string `json:"id,omitempty"` // the record's id, when one record is named and stored
	Reason string `json:"reason"`
}

// String names the break the way verify prints it: "seq 800: content
// changed", "seq 946–948: missing at the end …".
func (b Break) String() string {
	if b.To > b.From {
		return fmt.Sprintf("seq %d–%d: %s", b.From, b.To, b.Reason)
	}
	return fmt.Sprintf("seq %d: %s", b.From, b.Reason)
}

// Reasons a Checker gives.
const (
	ReasonChanged    = "content changed"
	ReasonRecomputed = "content changed and its hash recomputed (the next record still links to the former hash)"
	ReasonMissing    = "missing"
	ReasonDuplicate  = "stored twice or out of order"
	ReasonBadStart   = "prev_hash does not match the previous record's hash"
)

// Breaks is the error of a chain that does not verify: every break found.
type Breaks struct {
	Kind string // what the chain holds: "response", "audit entry"
	List []Break
}

func (e *Breaks) Error() string {
	parts := make([]string, len(e.List))
	for i, b := range e.List {
		parts[i] = b.String()
		if b.ID != "" && b.To == b.From {
			parts[i] = fmt.Sprintf("seq %d (%s %s): %s", b.From, e.Kind, b.ID, b.Reason)
		}
	}
	return "hash chain broken at " + strings.Join(parts, "; ")
}

// Anchor is what is known of a chain from outside its records: that it
// reached Seq with hash Head, by At, according to Source ("the head hint",
// "the newest checkpoint", "the checkpoint file").
type Anchor struct {
	Source string
	Seq    int64
	Head   string
	At     time.Time // zero when unknown
}

// Checker verifies a whole chain and names every break, not only the first:
// each record's own hash is checked against its content and prev hash, then
// the links between records, then the chain's end against anchors. Records
// must come in ascending sequence order (gaps allowed).
type Checker struct {
	kind     string
	seq      int64  // the last record read
	head     string // its stored hash
	ownOK    bool   // its own hash matched its content
	started  bool   // a record was read
	clean    bool   // no break so far
	verified int64  // the clean prefix: last seq and hash
	vhead    string
	records  int64
	breaks   []Break
	want     map[int64]string // anchor seq → the stored hash at it (filled as read)
}

// NewChecker starts checking a chain of kind records at its genesis.
func NewChecker(kind string) *Checker { return ResumeChecker(kind, 0, Genesis) }

// ResumeChecker continues from a head already verified: record seq, hash head.
func ResumeChecker(kind string, seq int64, head string) *Checker {
	return &Checker{kind: kind, seq: seq, head: head, ownOK: true, clean: true, verified: seq, vhead: head,
		want: map[int64]string{}}
}

// Expect asks the checker to keep the hashes stored at the anchors'
// sequence numbers, for Result; call it before the records are added.
func (c *Checker) Expect(anchors ...Anchor) {
	for _, a := range anchors {
		if a.Seq > c.seq {
			c.want[a.Seq] = ""
		}
	}
}

func (c *Checker) fail(b Break) {
	c.breaks = append(c.breaks, b)
	c.clean = false
}

// Add checks the next record.
func (c *Checker) Add(r Record) {
	id, seq, prev, hash := r.ChainLinks()
	c.records++
	if seq <= c.seq {
		c.fail(Break{From: seq, To: seq, ID: id, Reason: ReasonDuplicate})
		return
	}
	own := Link(prev, r.CanonicalJSON()) == hash
	switch {
	case seq > c.seq+1:
		c.fail(Break{From: c.seq + 1, To: seq - 1, Reason: ReasonMissing})
	case prev != c.head && own:
		if c.started && c.ownOK {
			// The record before is self-consistent but not what this one
			// was linked to: it was rewritten with its hash recomputed.
			c.fail(Break{From: c.seq, To: c.seq, Reason: ReasonRecomputed})
		} else if !c.started {
			c.fail(Break{From: seq, To: seq, ID: id, Reason: ReasonBadStart})
		}
	}
	if !own {
		c.fail(Break{From: seq, To: seq, ID: id, Reason: ReasonChanged})
	}
	if _, ok := c.want[seq]; ok {
		c.want[seq] = hash
	}
	c.seq, c.head, c.ownOK, c.started = seq, hash, own, true
	if c.clean {
		c.verified, c.vhead = seq, hash
	}
}

// Result is what a check found: the clean prefix, the last record read and
// every break, including those the anchors reveal at the chain's end.
func (c *Checker) Result(anchors ...Anchor) Result {
	res := Result{Kind: c.kind, Records: c.records, Verified: c.verified, Head: c.vhead, Last: c.seq, LastHash: c.head,
		Breaks: slices.Clone(c.breaks)}
	res.Breaks = append(res.Breaks, CheckAnchors(c.seq, func(seq int64) (string, bool) {
		h, ok := c.want[seq]
		return h, ok && h != ""
	}, anchors)...)
	res.OK = len(res.Breaks) == 0
	return res
}

// CheckAnchors compares a chain that ends at last with what anchors say of
// it: a tail shorter than an anchor is missing at the end, and a record at an
// anchor's seq whose hash (hashAt; false when unknown or not stored) is not
// the anchor's was rewritten.
func CheckAnchors(last int64, hashAt func(int64) (string, bool), anchors []Anchor) []Break {
	var out []Break
	var far *Anchor
	for i := range anchors {
		a := &anchors[i]
		switch {
		case a.Seq <= 0:
		case a.Seq > last:
			if far == nil || a.Seq > far.Seq {
				far = a
			}
		default:
			if h, ok := hashAt(a.Seq); ok && h != a.Head {
				out = append(out, Break{From: a.Seq, To: a.Seq,
					Reason: fmt.Sprintf("differs from %s (the chain was rewritten from here on or before)", a.Source)})
			}
		}
	}
	if far != nil {
		when := "earlier"
		if !far.At.IsZero() {
			when = "by " + far.At.UTC().Format(time.RFC3339)
		}
		out = append(out, Break{From: last + 1, To: far.Seq,
			Reason: fmt.Sprintf("missing at the end (%s says seq %d was recorded %s; the chain ends at %d)", far.Source, far.Seq, when, last)})
	}
	return out
}

// Result is the outcome of checking a chain, as reports and the JSON
// endpoints carry it.
type Result struct {
	Kind     string  `json:"kind"`
	OK       bool    `json:"ok"`
	Records  int64   `json:"records"`   // records read
	Verified int64   `json:"verified"`  // the clean prefix from the genesis (or the resumed head)
	Head     string  `json:"head"`      // its hash
	Last     int64   `json:"last"`      // the last record's seq
	LastHash string  `json:"last_hash"` // its stored hash
	Breaks   []Break `json:"breaks"`
}

// Err is nil for a chain that verifies, else a *Breaks naming every break.
func (r Result) Err() error {
	if len(r.Breaks) == 0 {
		return nil
	}
	return &Breaks{Kind: r.Kind, List: r.Breaks}
}

// State is the result in the shape of a Verifier's State.
func (r Result) State() State { return State{Length: r.Verified, Head: r.Head, Err: r.Err()} }

// With returns the result with more breaks (found by checks of the records'
// other parts), all in sequence order.
func (r Result) With(more ...Break) Result {
	r.Breaks = append(slices.Clone(r.Breaks), more...)
	slices.SortStableFunc(r.Breaks, func(a, b Break) int { return int(a.From - b.From) })
	r.OK = len(r.Breaks) == 0
	return r
}
