package report

import (
	"fmt"
	"testing"
)

// benchEstimate streams n synthetic units through a fresh estimator and
// computes the summary (overall and groups) or, with forms, the full report
// (every dimension, item, urbanicity, township and school).
func benchEstimate(b *testing.B, n int, full bool) {
	s := newSynth(42, full)
	units := s.units(n)
	cfg := Config{Frame: s.frame}
	if full {
		cfg.Forms = s.forms
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		e, err := NewEstimator(cfg)
		if err != nil {
			b.Fatal(err)
		}
		for i := range units {
			if err := e.Add(units[i]); err != nil {
				b.Fatal(err)
			}
		}
		if full {
			_, err = e.Report()
		} else {
			_, err = e.Summary()
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/unit")
}

func BenchmarkSummary(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchEstimate(b, n, false) })
	}
}

func BenchmarkReport(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) { benchEstimate(b, n, true) })
	}
}
