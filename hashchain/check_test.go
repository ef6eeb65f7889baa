package hashchain_test

import (
	"strings"
	"testing"
	"time"

	"renke/hashchain"
)

func check(rs []*rec, anchors ...hashchain.Anchor) hashchain.Result {
	c := hashchain.NewChecker("record")
	c.Expect(anchors...)
	for _, r := range rs {
		c.Add(r)
	}
	return c.Result(anchors...)
}

// reseal recomputes the hashes of rs[from:] as someone rewriting the tail would.
func reseal(rs []*rec, from int) {
	for i := from; i < len(rs); i++ {
		if i > 0 {
			rs[i].prev = rs[i-1].hash
		}
		rs[i].hash = hashchain.Link(rs[i].prev, rs[i].CanonicalJSON())
	}
}

func breaks(res hashchain.Result) string {
	var s []string
	for _, b := range res.Breaks {
		s = append(s, b.String())
	}
	return strings.Join(s, " | ")
}

// TestCheckerNamesEveryBreak: each tamper is named at the record touched,
// and all of them, not only the first.
func TestCheckerNamesEveryBreak(t *testing.T) {
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	cases := map[string]struct {
		tamper  func([]*rec) []*rec
		anchors []hashchain.Anchor
		want    string
	}{
		"untouched": {func(rs []*rec) []*rec { return rs }, nil, ""},
		"edited":    {func(rs []*rec) []*rec { rs[7].body = "x"; return rs }, nil, "seq 8: content changed"},
		"edited, hash recomputed": {func(rs []*rec) []*rec { rs[7].body = "x"; reseal(rs[7:8], 0); return rs },
			nil, "seq 8: " + hashchain.ReasonRecomputed},
		"two edits and a removal": {func(rs []*rec) []*rec {
			rs[2].body, rs[8].body = "x", "y"
			return append(rs[:5], rs[6:]...)
		}, nil, "seq 3: content changed | seq 6: missing | seq 9: content changed"},
		"tail cut, hint": {func(rs []*rec) []*rec { return rs[:9] },
			[]hashchain.Anchor{{Source: "the head hint", Seq: 12}}, "seq 10–12: missing at the end (the head hint says seq 12 was recorded earlier; the chain ends at 9)"},
		"tail cut, no anchor": {func(rs []*rec) []*rec { return rs[:9] }, nil, ""},
		"tail rewritten, checkpoint before": {func(rs []*rec) []*rec { rs[5].body = "x"; reseal(rs, 5); return rs },
			[]hashchain.Anchor{{Source: "the checkpoint", Seq: 8, Head: chain(12)[7].hash, At: at}},
			"seq 8: differs from the checkpoint (the chain was rewritten from here on or before)"},
		"checkpoint matches": {func(rs []*rec) []*rec { return rs },
			[]hashchain.Anchor{{Source: "the checkpoint", Seq: 8, Head: chain(12)[7].hash, At: at}}, ""},
		"cut below a checkpoint": {func(rs []*rec) []*rec { return rs[:6] },
			[]hashchain.Anchor{{Source: "the checkpoint", Seq: 8, Head: chain(12)[7].hash, At: at}},
			"seq 7–8: missing at the end (the checkpoint says seq 8 was recorded by 2026-05-01T08:00:00Z; the chain ends at 6)"},
	}
	for name, tc := range cases {
		res := check(tc.tamper(chain(12)), tc.anchors...)
		if got := breaks(res); got != tc.want || res.OK != (tc.want == "") {
			t.Errorf("%s: breaks %q (ok %v), want %q", name, got, res.OK, tc.want)
		}
	}
}

// TestCheckerPrefixAndError: the verified prefix stops at the first break,
// and the error names every break with the record's id.
func TestCheckerPrefixAndError(t *testing.T) {
	rs := chain(10)
	rs[3].body = "x"
	res := check(rs)
	if res.Verified != 3 || res.Head != rs[2].hash || res.Last != 10 || res.Records != 10 {
		t.Fatalf("result %+v", res)
	}
	if err := res.Err(); err == nil || err.Error() != "hash chain broken at seq 4 (record r4): content changed" {
		t.Fatalf("error %v", err)
	}
	if st := res.State(); st.Length != 3 || st.Err == nil {
		t.Fatalf("state %+v", st)
	}
	full := check(chain(10))
	if full.Err() != nil || full.Verified != 10 || full.Head != chain(10)[9].hash {
		t.Fatalf("untouched: %+v", full)
	}
}
