package sampling

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/xuri/excelize/v2"

	"renke/survey"
)

// randomFrame builds a valid frame of random shape: 3 to 150 schools of all
// four types, strata sometimes empty, small staff counts that make caps bind.
func randomFrame(r *rand.Rand) *Frame {
	f := &Frame{}
	present := map[survey.Urbanicity]bool{}
	for _, u := range survey.Urbanicities {
		present[u] = r.Float64() < 0.85
	}
	present[survey.Urbanicities[r.IntN(3)]] = true
	var strata []survey.Urbanicity
	for _, u := range survey.Urbanicities {
		if present[u] {
			strata = append(strata, u)
		}
	}
	n := 3 + r.IntN(148)
	pupils := 0
	for i := range n {
		s := School{Code: fmt.Sprintf("S%04d", i), Name: fmt.Sprintf("第%d学校", i),
			Township: fmt.Sprintf("镇%02d", r.IntN(1+n/8)), Urbanicity: strata[r.IntN(len(strata))]}
		switch x := r.Float64(); {
		case x < 0.6:
			s.Type = Primary
		case x < 0.8:
			s.Type = Junior
		case x < 0.95:
			s.Type = Nine
		default:
			s.Type = Twelve
		}
		scale := 5 + r.IntN(300)
		if r.Float64() < 0.1 {
			scale = 1 + r.IntN(8)
		}
		for g := 1; g <= maxGrade; g++ {
			if s.Type.HasGrade(g) && r.Float64() < 0.95 {
				s.Enrolment[g-1] = r.IntN(scale + 1)
			}
		}
		if s.Pupils() == 0 {
			g := 7
			if s.Type == Primary {
				g = 1 + r.IntN(6)
			}
			s.Enrolment[g-1] = 1
		}
		s.Teachers = s.Pupils()/(10+r.IntN(15)) + r.IntN(3)
		s.Principals = r.IntN(4)
		pupils += s.Pupils()
		f.Schools = append(f.Schools, s)
	}
	// Keep the sample under what the frame can give: n ≈ 0.0015·pop ≤ 0.8·pupils.
	pop := 20000 + r.IntN(1_500_000)
	pop = min(pop, pupils*500)
	pop = max(pop, 2000)
	weights := make([]float64, 3)
	for j, u := range survey.Urbanicities {
		if present[u] {
			weights[j] = 0.05 + r.Float64()
		}
	}
	caps := []int{unlimited, unlimited, unlimited}
	split, _, _ := apportion(pop, weights, caps, nil)
	f.County = County{Name: "测试县", Population: pop, Urban: split[0], Town: split[1], Rural: split[2],
		Deputies: r.IntN(400), CPPCC: r.IntN(400)}
	if r.Float64() < 0.2 {
		f.County.Deputies = r.IntN(10)
	}
	return f
}

// fixedFrame is a deterministic mid-sized county.
func fixedFrame() *Frame {
	return randomFrame(rand.New(rand.NewPCG(42, 7)))
}

// xlsxBytes writes f through Frame.WriteXLSX, then lets edit change cells.
func xlsxBytes(t *testing.T, f *Frame, edit func(xf *excelize.File)) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	if edit == nil {
		return buf.Bytes()
	}
	xf, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer xf.Close()
	edit(xf)
	out, err := xf.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// seed returns a pointer for Options.Seed.
func seed(s int64) *int64 { return &s }
