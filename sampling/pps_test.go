package sampling

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPPSInclusionFrequencies draws the same list many times from different
// seeds and compares each unit's selection frequency with its computed
// inclusion probability: a chi-square over the units, and a 5-sigma bound
// on each.
func TestPPSInclusionFrequencies(t *testing.T) {
	gen := rand.New(rand.NewPCG(11, 12))
	sizes := make([]float64, 60)
	for i := range sizes {
		sizes[i] = float64(20 + gen.IntN(600))
	}
	sizes[5], sizes[40] = 9000, 7000 // certainty units
	sizes[17] = 0                    // never drawn
	const k, runs = 12, 20000
	first := systematicPPS(sizes, k, rand.New(rand.NewPCG(0, 0)))
	sum := 0.0
	for i, p := range first.pi {
		sum += p
		if (i == 5 || i == 40) != (p == 1) {
			t.Fatalf("unit %d: π = %g", i, p)
		}
	}
	if math.Abs(sum-k) > 1e-9 {
		t.Fatalf("Σπ = %g, want %d", sum, k)
	}
	counts := make([]int, len(sizes))
	for r := range runs {
		d := systematicPPS(sizes, k, rand.New(rand.NewPCG(uint64(r), 99)))
		if len(d.selected) != k {
			t.Fatalf("run %d drew %d units", r, len(d.selected))
		}
		for _, i := range d.selected {
			counts[i]++
		}
	}
	chi2, df := 0.0, 0
	for i, p := range first.pi {
		freq := float64(counts[i]) / runs
		if p == 0 || p == 1 {
			if freq != p {
				t.Fatalf("unit %d: frequency %g, π %g", i, freq, p)
			}
			continue
		}
		sd := math.Sqrt(p * (1 - p) / runs)
		if math.Abs(freq-p) > 5*sd {
			t.Errorf("unit %d: frequency %.4f, π %.4f (sd %.4f)", i, freq, p, sd)
		}
		e := p * runs
		chi2 += (float64(counts[i]) - e) * (float64(counts[i]) - e) / (e * (1 - p))
		df++
	}
	// Each term is ~χ²(1); the units are not independent but the sum stays
	// near df. 2·df is far beyond the 0.999 quantile for df ≈ 57.
	if chi2 > 2*float64(df) {
		t.Errorf("chi-square %.1f on %d units", chi2, df)
	}
}

func TestPPSTakesAllWhenKCoversTheList(t *testing.T) {
	d := systematicPPS([]float64{3, 0, 5, 1}, 10, rand.New(rand.NewPCG(1, 1)))
	if len(d.selected) != 3 || d.pi[1] != 0 || d.pi[0] != 1 || d.pi[3] != 1 {
		t.Fatalf("%+v", d)
	}
}

func TestApportionProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 5000 {
		n := 1 + r.IntN(8)
		w, caps, bias := make([]float64, n), make([]int, n), make([]float64, n)
		room := 0
		for i := range n {
			w[i] = float64(r.IntN(5))
			caps[i] = r.IntN(50)
			if r.IntN(4) == 0 {
				caps[i] = unlimited
				room += 1 << 20
			} else {
				room += caps[i]
			}
			bias[i] = r.Float64()*2 - 1
		}
		total := r.IntN(120)
		alloc, exact, err := apportion(total, w, caps, bias)
		if total > room {
			if err == nil {
				t.Fatalf("over capacity accepted: %d > %d", total, room)
			}
			continue
		}
		if err != nil {
			t.Fatalf("apportion(%d, %v, %v): %v", total, w, caps, err)
		}
		sum, esum := 0, 0.0
		for i := range n {
			sum += alloc[i]
			esum += exact[i]
			if caps[i] != unlimited && alloc[i] > caps[i] {
				t.Fatalf("part %d: %d over cap %d", i, alloc[i], caps[i])
			}
			if math.Abs(float64(alloc[i])-exact[i]) >= 1 {
				t.Fatalf("part %d: %d, exact %g; %d %v %v %v %v", i, alloc[i], exact[i], total, w, caps, alloc, exact)
			}
		}
		if sum != total || math.Abs(esum-float64(total)) > 1e-6 {
			t.Fatalf("sum %d (exact %g), total %d", sum, esum, total)
		}
		// Uncapped weighted parts share in proportion to their weights.
		for i := range n {
			for j := range n {
				if w[i] > 0 && w[j] > 0 && notAtCap(exact[i], caps[i]) && notAtCap(exact[j], caps[j]) &&
					math.Abs(exact[i]/w[i]-exact[j]/w[j]) > 1e-6 {
					t.Fatalf("parts %d and %d not proportional: %v for weights %v", i, j, exact, w)
				}
			}
		}
	}
}

func notAtCap(x float64, c int) bool { return c == unlimited || x < float64(c)-1e-6 }
