package reporting_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

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
	rep, _, err := c.Build(context.Background(), st, id)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestCacheReadsAClosedSurveyOnce(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 80)
	c := reporting.NewCache(2, time.Minute)

	// Open: every build reads the responses, and sees a new one.
	build(t, c, st, sv.ID)
	r := &survey.Response{ID: "late", SurveyID: sv.ID, Code: "code-late", CodeKind: survey.OneTimeCode, Group: survey.Public,
		Urbanicity: survey.Urbanicities[0], DeviceID: "d-late", AddrHash: "a-late", Form: survey.SocialForm,
		FormVersion: sv.Forms[survey.SocialForm].Version, Answers: map[string]string{},
		StartedAt: time.Now().Add(-10 * time.Minute), SubmittedAt: time.Now()}
	for _, it := range sv.Forms[survey.SocialForm].Items {
		r.Answers[it.ID] = survey.OptionCodes[0]
	}
	if err := st.AppendResponse(ctx, r); err != nil {
		t.Fatal(err)
	}
	if rep := build(t, c, st, sv.ID); rep.Counts.Responses != 81 || c.Loads() != 2 {
		t.Fatalf("open survey: %d responses after %d loads, want 81 after 2", rep.Counts.Responses, c.Loads())
	}

	// Just closed: still read every time, as late submissions may land.
	closeSurvey(t, st, sv, time.Now())
	build(t, c, st, sv.ID)
	if c.Loads() != 3 {
		t.Fatalf("a survey closed a moment ago was cached: %d loads", c.Loads())
	}

	// Closed and settled: read once, and every build agrees with an uncached one.
	closeSurvey(t, st, sv, time.Now().Add(-2*reporting.ClosedSettle))
	first := build(t, c, st, sv.ID)
	second := build(t, c, st, sv.ID)
	plain, _, err := reporting.Build(ctx, st, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.Loads() != 4 {
		t.Fatalf("closed survey read %d times in all, want 4", c.Loads())
	}
	want, _ := json.Marshal(plain)
	for _, rep := range []*report.Report{first, second} {
		if got, _ := json.Marshal(rep); string(got) != string(want) || rep.ChainLength != 81 {
			t.Fatalf("cached report\n%s\nuncached\n%s", got, want)
		}
	}

	// An evaluator's override shows in the next build without a new read.
	o := report.Override{ResponseID: "late", Exclude: true, Reason: "复核发现代填", By: "eval", At: survey.TruncateTime(time.Now())}
	if err := st.AddOverride(ctx, sv.ID, o); err != nil {
		t.Fatal(err)
	}
	after := build(t, c, st, sv.ID)
	if after.Counts.Excluded != plain.Counts.Excluded+1 || after.Counts.Valid != plain.Counts.Valid-1 || c.Loads() != 4 {
		t.Fatalf("after the override: counts %+v (before %+v), %d loads", after.Counts, plain.Counts, c.Loads())
	}
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
			if _, _, err := c.Build(context.Background(), st, a.ID); err != nil {
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
