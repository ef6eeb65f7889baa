package reporting_test

import (
	"context"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/reporting"
)

// BenchmarkReportBuild compares a report of a 2,000-response survey built
// from the store with one built from the cache: of the survey while open,
// where each build reads the responses stored since the last (here, none),
// and once closed (quality rules, overrides and the audit trail are still
// read each time).
func BenchmarkReportBuild(b *testing.B) {
	st := testenv.Store(b)
	sv := seed(b, st, 2000)
	ctx := context.Background()
	cached := func(b *testing.B) {
		c := reporting.NewCache(1, time.Hour)
		if _, err := c.Build(ctx, st, sv.ID); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.Build(ctx, st, sv.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("open-cache", cached)
	closeSurvey(b, st, sv, time.Now().Add(-2*reporting.ClosedSettle))
	b.Run("store", func(b *testing.B) {
		for b.Loop() {
			if _, err := reporting.Build(ctx, st, sv.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cache", cached)
}
