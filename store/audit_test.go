package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/account"
	"renke/hashchain"
	"renke/internal/testenv"
	"renke/store"
)

func TestAuditAppendAndFilter(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	actor := &account.User{ID: "u1", Name: "wang", Role: account.Coordinator}
	base := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	type spec struct {
		county, survey string
		act            account.Action
	}
	specs := []spec{
		{"渝中区", "s1", account.ActSurveyCreate},
		{"渝中区", "s1", account.ActSurveyOpen},
		{"江北区", "s2", account.ActSurveyCreate},
		{"", "", account.ActUserCreate},
		{"渝中区", "s1", account.ActCodesIssue},
	}
	for i, sp := range specs {
		e, err := account.NewEntry(actor, sp.act, map[string]int{"i": i}, map[string]int{"i": i + 1}, base.Add(time.Duration(i)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		e.County, e.Survey = sp.county, sp.survey
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Audit(ctx, store.AuditFilter{}, 0)
	if err != nil || len(all) != len(specs) {
		t.Fatalf("all: %d entries, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].At.After(all[i-1].At) {
			t.Fatal("entries must be newest first")
		}
	}
	if all[0].Action != account.ActCodesIssue || all[0].Before != `{"i":4}` || all[0].After != `{"i":5}` {
		t.Errorf("newest entry %+v", all[0])
	}
	s1, _ := s.Audit(ctx, store.AuditFilter{Survey: "s1"}, 0)
	if len(s1) != 3 {
		t.Errorf("survey s1: %d entries, want 3", len(s1))
	}
	limited, _ := s.Audit(ctx, store.AuditFilter{Survey: "s1"}, 2)
	if len(limited) != 2 || limited[0].Action != account.ActCodesIssue {
		t.Errorf("limit 2: %+v", limited)
	}
	older, _ := s.Audit(ctx, store.AuditFilter{Survey: "s1", Before: limited[1].At}, 10)
	if len(older) != 1 || older[0].Action != account.ActSurveyCreate {
		t.Errorf("page before %v: %+v", limited[1].At, older)
	}
	scoped, _ := s.Audit(ctx, store.AuditFilter{Counties: []string{"江北区"}}, 0)
	if len(scoped) != 1 || scoped[0].Survey != "s2" {
		t.Errorf("counties [江北区]: %+v", scoped)
	}
	foreign, _ := s.Audit(ctx, store.AuditFilter{County: "渝中区", Counties: []string{"江北区"}}, 0)
	if len(foreign) != 0 {
		t.Errorf("a county outside Counties must give nothing, got %d", len(foreign))
	}
	byActor, _ := s.Audit(ctx, store.AuditFilter{Actor: "nobody"}, 0)
	if len(byActor) != 0 {
		t.Errorf("actor nobody: %d", len(byActor))
	}
}

// verifyAudit walks the audit chain and returns its state.
func verifyAudit(t *testing.T, s *store.Store) hashchain.State {
	t.Helper()
	v := account.NewAuditVerifier()
	if err := s.EachAudit(context.Background(), func(e *account.Entry) error { v.Add(e); return nil }); err != nil {
		t.Fatal(err)
	}
	return v.State()
}

// TestAuditChainAcrossProcesses: two processes appending at once over one
// store make one chain without gaps; the head they leave is the store's.
func TestAuditChainAcrossProcesses(t *testing.T) {
	ctx := context.Background()
	uri := testenv.Mongo(t, t.TempDir())
	stores := []*store.Store{openAt(t, uri), openAt(t, uri)}
	const workers, each = 6, 5
	var wg sync.WaitGroup
	errs := make(chan error, 2*workers*each)
	for p, s := range stores {
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					e, err := account.NewEntry(nil, account.ActLoginFailed, nil, map[string]int{"p": p, "w": w, "i": i}, time.Now())
					if err == nil {
						err = s.AppendAudit(ctx, e)
					}
					if err != nil {
						errs <- err
					}
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st := verifyAudit(t, stores[0])
	seq, head, err := stores[1].AuditHead(ctx)
	if err != nil || st.Err != nil || st.Length != 2*workers*each || seq != st.Length || head != st.Head {
		t.Fatalf("chain %+v, head %d %s (%v)", st, seq, head, err)
	}
}

// TestAuditChainShowsEdits: an entry changed or removed in the database
// behind renke's back is named by the walk.
func TestAuditChainShowsEdits(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	for i := range 5 {
		e, err := account.NewEntry(&account.User{Name: "eval1", Role: account.Evaluator}, account.ActExclusion,
			map[string]bool{"excluded": true}, map[string]bool{"excluded": false}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		e.Target, e.Note = fmt.Sprintf("r%d", i), "复核后保留"
		if err := s.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if st := verifyAudit(t, s); st.Err != nil || st.Length != 5 {
		t.Fatalf("untouched chain: %+v", st)
	}
	col := s.Collection("audit")
	if _, err := col.UpdateOne(ctx, bson.M{"seq": 3}, bson.M{"$set": bson.M{"after": `{"excluded":true}`}}); err != nil {
		t.Fatal(err)
	}
	st := verifyAudit(t, s)
	var ce *hashchain.Error
	if !errors.As(st.Err, &ce) || ce.Seq != 3 || st.Length != 2 || !strings.Contains(ce.Reason, "content") {
		t.Fatalf("an edited entry: %+v", st)
	}
	if _, err := col.DeleteOne(ctx, bson.M{"seq": 3}); err != nil {
		t.Fatal(err)
	}
	st = verifyAudit(t, s)
	if !errors.As(st.Err, &ce) || ce.Seq != 4 || !strings.Contains(ce.Reason, "expected seq 3") {
		t.Fatalf("a removed entry: %+v", st)
	}
}

// TestAuditChainSealsLegacyEntries: entries an earlier version wrote without
// a chain are sealed at start, in time order, and the log goes on from them.
func TestAuditChainSealsLegacyEntries(t *testing.T) {
	ctx := context.Background()
	uri := testenv.Mongo(t, t.TempDir())
	old, err := store.Open(ctx, uri, "renke_test", nil)
	if err != nil {
		t.Fatal(err)
	}
	col := old.Collection("audit")
	if err := col.Indexes().DropOne(ctx, "seq"); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 9, 1, 2, 0, 0, 0, time.UTC)
	for i, id := range []string{"z-first", "a-second", "m-third"} {
		if _, err := col.InsertOne(ctx, bson.M{"_id": id, "at": base.Add(time.Duration(i) * time.Minute),
			"actor": "wang", "action": string(account.ActSurveyOpen)}); err != nil {
			t.Fatal(err)
		}
	}
	old.Close(ctx)

	s, err := store.Open(ctx, uri, "renke_test", nil)
	if err != nil {
		t.Fatalf("open over legacy entries: %v", err)
	}
	defer s.Close(ctx)
	e, err := account.NewEntry(nil, account.ActSurveyClose, nil, nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AppendAudit(ctx, e); err != nil {
		t.Fatal(err)
	}
	var ids []string
	v := account.NewAuditVerifier()
	if err := s.EachAudit(ctx, func(e *account.Entry) error { ids = append(ids, e.ID); v.Add(e); return nil }); err != nil {
		t.Fatal(err)
	}
	if st := v.State(); st.Err != nil || st.Length != 4 || strings.Join(ids, " ") != "z-first a-second m-third "+e.ID {
		t.Fatalf("chain %+v over %v", st, ids)
	}
}
