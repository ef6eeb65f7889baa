package reporting_test

import (
	"context"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/reporting"
)

// BenchmarkReportBuild compares a report of a closed 2,000-response survey
// built from the store with one built from the cache (quality rules,
// overrides and the audit trail are still read each time).
func BenchmarkReportBuild(b *testing.B) {
	st := testenv.Store(b)
	sv := seed(b, st, 2000)
	closeSurvey(b, st, sv, time.Now().Add(-2*reporting.ClosedSettle))
	ctx := context.Background()
	b.Run("store", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := reporting.Build(ctx, st, sv.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cache", func(b *testing.B) {
		c := reporting.NewCache(1, time.Hour)
		if _, _, err := c.Build(ctx, st, sv.ID); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, _, err := c.Build(ctx, st, sv.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
