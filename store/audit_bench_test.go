package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"renke/account"
	"renke/internal/testenv"
)

// BenchmarkAuditChain measures appending to the audit chain and walking a
// log of 10,000 entries (what every report build and the admin's audit page
// do) on the embedded store.
func BenchmarkAuditChain(b *testing.B) {
	ctx := context.Background()
	s := testenv.Store(b)
	actor := &account.User{ID: "u1", Name: "eval1", Role: account.Evaluator}
	add := func(i int) {
		e, err := account.NewEntry(actor, account.ActExclusion, map[string]bool{"excluded": true},
			map[string]bool{"excluded": false}, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		e.County, e.Survey, e.Target, e.Note = "青禾县", "s1", fmt.Sprintf("r%d", i), "复核后保留：同一家长的两份答卷只保留较早的一份"
		if err := s.AppendAudit(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	const logSize = 10000
	b.Run("append", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			add(i)
		}
	})
	seq, _, err := s.AuditHead(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for i := seq; i < logSize; i++ {
		add(int(i))
	}
	b.Run(fmt.Sprintf("walk-%d", logSize), func(b *testing.B) {
		for b.Loop() {
			v := account.NewAuditVerifier()
			if err := s.EachAudit(ctx, func(e *account.Entry) error { v.Add(e); return nil }); err != nil {
				b.Fatal(err)
			}
			if st := v.State(); st.Err != nil || st.Length < logSize {
				b.Fatalf("walk: %+v", st)
			}
		}
	})
}
