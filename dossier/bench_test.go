package dossier

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkWrite packages the demo county's survey (about 950 responses).
func BenchmarkWrite(b *testing.B) {
	c := demoContents(b)
	key := testKey(b, 1)
	for b.Loop() {
		if err := Write(io.Discard, c, key); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify checks the demo county's package: signature, sums, chain,
// plan redrawn, estimate and derived files recomputed.
func BenchmarkVerify(b *testing.B) {
	c := demoContents(b)
	key := testKey(b, 1)
	var buf bytes.Buffer
	if err := Write(&buf, c, key); err != nil {
		b.Fatal(err)
	}
	pkg := buf.Bytes()
	b.SetBytes(int64(len(pkg)))
	for b.Loop() {
		res, err := Verify(bytes.NewReader(pkg), int64(len(pkg)), Options{})
		if err != nil || !res.OK() {
			b.Fatal(err, res.Problems)
		}
	}
}
