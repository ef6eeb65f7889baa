package sheets

import (
	"fmt"
	"io"
	"testing"

	"renke/survey"
)

// oneTime issues n one-time codes spread over schools of 500 codes each.
func oneTime(b *testing.B, n int) []survey.Code {
	var out []survey.Code
	for i := 0; len(out) < n; i++ {
		s := school
		s.Code, s.Name = fmt.Sprint(500110000+i), fmt.Sprintf("第%d小学", i)
		out = append(out, issue(b, survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Parent, School: s,
			Band: survey.BandMiddle, Count: min(500, n-len(out))})...)
	}
	return out
}

func benchSlips(b *testing.B, n int) {
	codes := oneTime(b, n)
	b.ResetTimer()
	for b.Loop() {
		if err := Slips(io.Discard, meta, codes); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "codes/op")
}

// BenchmarkSlips1000 renders 1,000 one-time codes into one PDF (84 pages).
func BenchmarkSlips1000(b *testing.B) { benchSlips(b, 1000) }

// BenchmarkSlips10000 renders 10,000 one-time codes into one PDF (834 pages).
func BenchmarkSlips10000(b *testing.B) { benchSlips(b, 10000) }

func benchZIP(b *testing.B, n int) {
	codes := oneTime(b, n)
	b.ResetTimer()
	for b.Loop() {
		if err := ZIP(io.Discard, meta, codes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkZIP1000 archives 1,000 one-time codes (two schools' slip PDFs).
func BenchmarkZIP1000(b *testing.B) { benchZIP(b, 1000) }

// BenchmarkZIP10000 archives 10,000 one-time codes as 20 slip PDFs rendered in parallel.
func BenchmarkZIP10000(b *testing.B) { benchZIP(b, 10000) }

// BenchmarkSchoolSheet renders one school's three shared-code pages.
func BenchmarkSchoolSheet(b *testing.B) {
	codes := sharedCodes(b)
	for b.Loop() {
		if err := SchoolSheet(io.Discard, meta, codes); err != nil {
			b.Fatal(err)
		}
	}
}
