package sampling

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// bigFrame is a county of about 1.5 million people with 600-odd schools.
func bigFrame() *Frame {
	r := rand.New(rand.NewPCG(77, 1))
	f := randomFrame(r)
	for len(f.Schools) < 600 {
		g := randomFrame(r)
		for _, s := range g.Schools {
			s.Code = s.Code + "x" + string(rune('a'+len(f.Schools)%26)) + string(rune('a'+len(f.Schools)/26%26))
			if s.Urbanicity.Valid() && f.County.PopulationIn(s.Urbanicity) > 0 {
				f.Schools = append(f.Schools, s)
			}
		}
	}
	c := &f.County
	c.Urban, c.Town, c.Rural = c.Urban*1_500_000/c.Population, c.Town*1_500_000/c.Population, c.Rural*1_500_000/c.Population
	c.Population = c.Urban + c.Town + c.Rural
	return f
}

// BenchmarkMakePlan draws the plan of a 600-school county.
func BenchmarkMakePlan(b *testing.B) {
	f := bigFrame()
	if err := f.Validate(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := MakePlan(f, Options{Seed: seed(1)}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadFrameXLSX reads and checks a 600-school frame workbook.
func BenchmarkReadFrameXLSX(b *testing.B) {
	f := bigFrame()
	var buf bytes.Buffer
	if err := f.WriteXLSX(&buf); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ReadFrameXLSX(bytes.NewReader(buf.Bytes())); err != nil {
			b.Fatal(err)
		}
	}
}
