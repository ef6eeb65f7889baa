package hashchain_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"renke/hashchain"
)

// rec is a minimal chained record.
type rec struct {
	id         string
	seq        int64
	prev, hash string
	body       string
}

func (r *rec) ChainLinks() (string, int64, string, string) { return r.id, r.seq, r.prev, r.hash }
func (r *rec) CanonicalJSON() []byte {
	return []byte(fmt.Sprintf(`{"seq":%d,"body":%q}`, r.seq, r.body))
}

// chain builds n sealed records.
func chain(n int) []*rec {
	out := make([]*rec, n)
	prev := hashchain.Genesis
	for i := range out {
		r := &rec{id: fmt.Sprintf("r%d", i+1), seq: int64(i + 1), prev: prev, body: fmt.Sprintf("body %d", i+1)}
		r.hash = hashchain.Link(prev, r.CanonicalJSON())
		out[i], prev = r, r.hash
	}
	return out
}

func walk(rs []*rec) hashchain.State {
	v := hashchain.NewVerifier("record")
	for _, r := range rs {
		v.Add(r)
	}
	return v.State()
}

func TestLinkIsSHA256OfPrevAndBody(t *testing.T) {
	// printf '%s' 'abc' | sha256sum
	if got := hashchain.Link("a", []byte("bc")); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("Link = %s", got)
	}
}

func TestVerifierNamesTheFirstBadRecord(t *testing.T) {
	if st := walk(chain(5)); st.Err != nil || st.Length != 5 || st.Head != chain(5)[4].hash {
		t.Fatalf("intact chain: %+v", st)
	}
	if st := walk(nil); st.Err != nil || st.Length != 0 || st.Head != hashchain.Genesis {
		t.Fatalf("empty chain: %+v", st)
	}
	cases := map[string]struct {
		break_   func([]*rec) []*rec
		seq      int64
		reason   string
		verified int64
	}{
		"edited":   {func(rs []*rec) []*rec { rs[2].body = "changed"; return rs }, 3, "content", 2},
		"removed":  {func(rs []*rec) []*rec { return append(rs[:2], rs[3:]...) }, 4, "expected seq 3", 2},
		"swapped":  {func(rs []*rec) []*rec { rs[1], rs[2] = rs[2], rs[1]; return rs }, 3, "expected seq 2", 1},
		"relinked": {func(rs []*rec) []*rec { rs[3].prev = rs[1].hash; return rs }, 4, "prev_hash", 3},
		"resealed": {func(rs []*rec) []*rec {
			rs[1].body = "x"
			rs[1].hash = hashchain.Link(rs[1].prev, rs[1].CanonicalJSON())
			return rs
		}, 3, "prev_hash", 2},
		"truncated": {func(rs []*rec) []*rec { rs[0].prev = "f"; return rs }, 1, "prev_hash", 0},
	}
	for name, c := range cases {
		st := walk(c.break_(chain(5)))
		var e *hashchain.Error
		if !errors.As(st.Err, &e) || e.Seq != c.seq || !strings.Contains(e.Reason, c.reason) || e.Kind != "record" {
			t.Errorf("%s: %+v", name, st)
			continue
		}
		if st.Length != c.verified {
			t.Errorf("%s: verified %d, want %d", name, st.Length, c.verified)
		}
	}
}
