package hashchain_test

import (
	"testing"

	"renke/hashchain"
)

// BenchmarkChecker measures a full check (own hashes, links, anchors) of a
// chain of 10,000 records against the first-error Verifier it extends.
func BenchmarkChecker(b *testing.B) {
	rs := chain(10000)
	b.Run("verifier", func(b *testing.B) {
		for b.Loop() {
			v := hashchain.NewVerifier("record")
			for _, r := range rs {
				v.Add(r)
			}
		}
	})
	b.Run("checker", func(b *testing.B) {
		a := hashchain.Anchor{Source: "hint", Seq: 10000, Head: rs[9999].hash}
		for b.Loop() {
			c := hashchain.NewChecker("record")
			c.Expect(a)
			for _, r := range rs {
				c.Add(r)
			}
			if !c.Result(a).OK {
				b.Fatal("broken")
			}
		}
	})
}
