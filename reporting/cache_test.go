package reporting_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"renke/account"
	"renke/internal/testenv"
	"renke/report"
	"renke/reporting"
	"renke/store"
	"renke/survey"
)

// closeSurvey opens sv if it is a draft and closes it, recording the close as
// made at the time given.
func closeSurvey(t testing.TB, st *store.Store, sv *survey.Survey, at time.Time) {
	t.Helper()
	ctx := context.Background()
	for _, to := range []survey.Status{survey.Open, survey.Closed} {
		if sv.Status == survey.Closed || (to == survey.Open && sv.Status == survey.Open) {
			continue
		}
		from := sv.Status
		if err := sv.Transition(to, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := st.UpdateSurvey(ctx, sv, from); err != nil {
			t.Fatal(err)
		}
	}
	sv.Updated = survey.TruncateTime(at)
	if err := st.UpdateSurvey(ctx, sv, survey.Closed); err != nil {
		t.Fatal(err)
	}
}

func build(t *testing.T, c *reporting.Cache, st *store.Store, id string) *report.Report {
	t.Helper()
	rep, _, err := split(c.Build(context.Background(), st, id))
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// lateResponse is a valid social-form response to sv.
func lateResponse(sv *survey.Survey, id string) *survey.Response {
	r := &survey.Response{ID: id, SurveyID: sv.ID, Code: "code-" + id, CodeKind: survey.OneTimeCode, Group: survey.Public,
		Urbanicity: survey.Urbanicities[0], DeviceID: "d-" + id, AddrHash: "a-" + id, Form: survey.SocialForm,
		FormVersion: sv.Forms[survey.SocialForm].Version, Answers: map[string]string{},
		StartedAt: time.Now().Add(-10 * time.Minute), SubmittedAt: time.Now()}
	for _, it := range sv.Forms[survey.SocialForm].Items {
		r.Answers[it.ID] = survey.OptionCodes[0]
	}
	return r
}

// sameAsUncached fails unless rep equals a report built without the cache.
func sameAsUncached(t *testing.T, st *store.Store, rep *report.Report) {
	t.Helper()
	plain, _, err := split(reporting.Build(context.Background(), st, rep.SurveyID))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(plain)
	if got, _ := json.Marshal(rep); string(got) != string(want) {
		t.Fatalf("cached report\n%s\nuncached\n%s", got, want)
	}
}

func TestCacheReadsOnlyNewResponses(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 80)
	c := reporting.NewCache(2, time.Minute)

	// Open: the first build reads everything, later ones only what is new.
	build(t, c, st, sv.ID)
	for _, id := range []string{"late1", "late2"} {
		if err := st.AppendResponse(ctx, lateResponse(sv, id)); err != nil {
			t.Fatal(err)
		}
	}
	rep := build(t, c, st, sv.ID)
	if rep.Counts.Responses != 82 || rep.ChainLength != 82 || c.Loads() != 1 || c.Extends() != 1 {
		t.Fatalf("open survey: %d responses (chain %d) after %d loads and %d extensions, want 82 after 1 and 1",
			rep.Counts.Responses, rep.ChainLength, c.Loads(), c.Extends())
	}
	sameAsUncached(t, st, rep)

	// Just closed: still brought up to date, as late submissions may land.
	closeSurvey(t, st, sv, time.Now())
	build(t, c, st, sv.ID)
	if c.Loads() != 1 || c.Extends() != 2 {
		t.Fatalf("a survey closed a moment ago: %d loads, %d extensions", c.Loads(), c.Extends())
	}

	// Closed and settled: brought up to date once more, then not read at all.
	closeSurvey(t, st, sv, time.Now().Add(-2*reporting.ClosedSettle))
	first := build(t, c, st, sv.ID)
	second := build(t, c, st, sv.ID)
	if c.Loads() != 1 || c.Extends() != 3 {
		t.Fatalf("settled survey: %d loads, %d extensions, want 1 and 3", c.Loads(), c.Extends())
	}
	sameAsUncached(t, st, first)
	sameAsUncached(t, st, second)

	// An evaluator's override shows in the next build without a new read.
	o := report.Override{ResponseID: "late1", Exclude: true, Reason: "复核发现代填", By: "eval", At: survey.TruncateTime(time.Now())}
	if err := st.AddOverride(ctx, sv.ID, o); err != nil {
		t.Fatal(err)
	}
	after := build(t, c, st, sv.ID)
	if after.Counts.Excluded != first.Counts.Excluded+1 || after.Counts.Valid != first.Counts.Valid-1 || c.Loads()+c.Extends() != 4 {
		t.Fatalf("after the override: counts %+v (before %+v), %d reads", after.Counts, first.Counts, c.Loads()+c.Extends())
	}
	sameAsUncached(t, st, after)
}

// TestCacheChecksTheChainItExtends: a response that does not continue the
// verified chain (a gap: a racing append not landed yet, or one deleted) is
// reported, and the data with it are not kept; once the gap is filled the
// next build is clean again, still without reading everything.
func TestCacheChecksTheChainItExtends(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 30)
	c := reporting.NewCache(2, time.Minute)
	build(t, c, st, sv.ID)

	// seq 31 is missing; 32 continues from where 31 would have been.
	missing := lateResponse(sv, "missing")
	missing.Seal(30, mustHead(t, st, sv.ID))
	next := lateResponse(sv, "next")
	next.Seal(missing.Seq, missing.Hash)
	if _, err := st.ResponsesOf(sv.ID).InsertOne(ctx, store.RawDocument(next, next.ID)); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		d, err := c.Build(ctx, st, sv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d.ChainError == nil || !strings.Contains(d.ChainError.Error(), "seq 31: missing") {
			t.Fatalf("a gap after the held responses: chain error %v", d.ChainError)
		}
	}
	if _, err := st.ResponsesOf(sv.ID).InsertOne(ctx, store.RawDocument(missing, missing.ID)); err != nil {
		t.Fatal(err)
	}
	rep, d, err := split(c.Build(ctx, st, sv.ID))
	if err != nil || d.ChainError != nil || rep.ChainLength != 32 || c.Loads() != 1 || c.Extends() != 3 {
		t.Fatalf("gap filled: %v, chain %v, length %d, %d loads, %d extensions", err, d.ChainError, rep.ChainLength, c.Loads(), c.Extends())
	}
	sameAsUncached(t, st, rep)
}

func mustHead(t *testing.T, st *store.Store, id string) string {
	t.Helper()
	_, head, err := st.Head(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return head
}

func TestCacheSharesAndExpires(t *testing.T) {
	st := testenv.Store(t)
	a, b := seed(t, st, 40), seed(t, st, 30)
	for _, sv := range []*survey.Survey{a, b} {
		closeSurvey(t, st, sv, time.Now().Add(-2*reporting.ClosedSettle))
	}

	// Downloads asked for together share one read.
	c := reporting.NewCache(1, time.Minute)
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if _, err := c.Build(context.Background(), st, a.ID); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if c.Loads() != 1 {
		t.Fatalf("6 concurrent builds read the responses %d times", c.Loads())
	}
	// One survey fits: the other one pushes it out.
	build(t, c, st, b.ID)
	build(t, c, st, a.ID)
	if c.Loads() != 3 {
		t.Fatalf("with room for one survey, alternating builds read %d times, want 3", c.Loads())
	}
	// Past its lifetime an entry is read again.
	short := reporting.NewCache(4, 50*time.Millisecond)
	build(t, short, st, a.ID)
	time.Sleep(80 * time.Millisecond)
	build(t, short, st, a.ID)
	if short.Loads() != 2 {
		t.Fatalf("an expired entry was used: %d reads", short.Loads())
	}
}

// TestCacheUnderConcurrentAppends: reports built while responses keep
// arriving each see a whole verified prefix of the chain, never fewer
// responses than the build before, and the last one equals an uncached build.
func TestCacheUnderConcurrentAppends(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 40)
	c := reporting.NewCache(2, time.Minute)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 60 {
			if err := st.AppendResponse(ctx, lateResponse(sv, fmt.Sprintf("live%d", i))); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(2 * time.Millisecond)
		}
	}()
	last := int64(0)
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		rep, d, err := split(c.Build(ctx, st, sv.ID))
		if err != nil {
			t.Fatal(err)
		}
		if d.ChainError != nil || rep.ChainLength != int64(rep.Counts.Responses) || rep.ChainLength < last {
			t.Fatalf("mid-load build: chain %d (%v) over %d responses, after %d", rep.ChainLength, d.ChainError, rep.Counts.Responses, last)
		}
		last = rep.ChainLength
	}
	rep := build(t, c, st, sv.ID)
	if rep.ChainLength != 100 || c.Loads() != 1 {
		t.Fatalf("after the load: chain %d, %d full reads", rep.ChainLength, c.Loads())
	}
	sameAsUncached(t, st, rep)
	t.Logf("%d extensions while 60 responses arrived", c.Extends())
}

// TestCacheWalksTheAuditLogOnceForManyReports: the reports of several
// surveys built together share one walk of the audit log; an entry appended
// through this process shows in the next report at once.
func TestCacheWalksTheAuditLogOnceForManyReports(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	a, b := seed(t, st, 20), seed(t, st, 20)
	c := reporting.NewCache(4, time.Minute)
	for range 2 {
		for _, sv := range []*survey.Survey{a, b} {
			if _, err := c.Build(ctx, st, sv.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if c.AuditWalks() != 1 {
		t.Fatalf("4 builds of 2 surveys walked the audit log %d times, want 1", c.AuditWalks())
	}
	e, err := account.NewEntry(&account.User{Name: "eval", Role: account.Evaluator}, account.ActExclusion, nil,
		map[string]bool{"excluded": true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.Survey = b.ID
	if err := st.AppendAudit(ctx, e); err != nil {
		t.Fatal(err)
	}
	d, err := c.Build(ctx, st, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.AuditWalks() != 2 || len(d.Audit) == 0 || d.Audit[len(d.Audit)-1].ID != e.ID || d.AuditChain.Head != e.Hash {
		t.Fatalf("after an append: %d walks, trail %d entries, chain %+v", c.AuditWalks(), len(d.Audit), d.AuditChain)
	}
}
