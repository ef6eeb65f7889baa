package reporting_test

import (
	"context"
	"testing"
	"time"

	"renke/account"
	"renke/internal/testenv"
	"renke/report"
	"renke/reporting"
	"renke/survey"
)

// TestCacheReusesAReportUntilAnInputChanges: a second build with nothing new
// reuses the first's report; a new response, a quality rule or an override
// each make the next build compute afresh, equal to an uncached build.
func TestCacheReusesAReportUntilAnInputChanges(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 60)
	c := reporting.NewCache(4, time.Minute)
	first := build(t, c, st, sv.ID)
	if again := build(t, c, st, sv.ID); again != first || c.Reused() != 1 {
		t.Fatalf("nothing changed: reused %d, same report %v", c.Reused(), again == first)
	}
	if err := st.AppendResponse(ctx, lateResponse(sv, "memo-late")); err != nil {
		t.Fatal(err)
	}
	rep := build(t, c, st, sv.ID)
	if c.Reused() != 1 || rep.ChainLength != 61 {
		t.Fatalf("after a new response: reused %d, chain %d", c.Reused(), rep.ChainLength)
	}
	sameAsUncached(t, st, rep)

	rules := report.DefaultQualityConfig()
	rules.Speeder.Enabled = false
	if err := st.SetQualityRules(ctx, sv.ID, rules, "eval1", time.Now()); err != nil {
		t.Fatal(err)
	}
	rep = build(t, c, st, sv.ID)
	if c.Reused() != 1 {
		t.Fatal("a changed quality rule reused the report")
	}
	sameAsUncached(t, st, rep)

	var rs []survey.Response
	if err := st.EachResponse(ctx, sv.ID, func(r *survey.Response) error { rs = append(rs, *r); return nil }); err != nil {
		t.Fatal(err)
	}
	o := report.Override{ResponseID: rs[3].ID, Exclude: true, Reason: "测试", By: "eval1", At: survey.TruncateTime(time.Now())}
	if err := st.AddOverride(ctx, sv.ID, o); err != nil {
		t.Fatal(err)
	}
	d, err := c.Build(ctx, st, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	if dec, ok := d.Quality.Decision(rs[3].ID); c.Reused() != 1 || !ok || !dec.Excluded {
		t.Fatalf("an override: reused %d, decision %+v", c.Reused(), dec)
	}
}

// TestCacheHoldsAtMostItsResponses: beyond the response bound the oldest
// survey is dropped (and read whole again), the one read last never.
func TestCacheHoldsAtMostItsResponses(t *testing.T) {
	st := testenv.Store(t)
	a, b := seed(t, st, 40), seed(t, st, 40)
	c := reporting.NewCache(10, time.Minute).LimitResponses(60)
	build(t, c, st, a.ID)
	build(t, c, st, b.ID) // 80 > 60: a goes
	build(t, c, st, b.ID)
	if c.Loads() != 2 || c.Extends()+c.Unmoved() != 1 {
		t.Fatalf("after a and b: %d loads, %d extensions", c.Loads(), c.Extends())
	}
	build(t, c, st, a.ID)
	if c.Loads() != 3 {
		t.Fatalf("a was kept beyond the bound: %d loads", c.Loads())
	}
	one := reporting.NewCache(10, time.Minute).LimitResponses(10)
	build(t, one, st, a.ID)
	build(t, one, st, a.ID)
	if one.Loads() != 1 {
		t.Fatalf("a survey above the bound alone was not kept: %d loads", one.Loads())
	}
}

// TestCacheReadsNothingWhileTheTipsStay: an open survey whose chain's tip
// and the audit log's head have not moved is built again without reading
// its responses; a new response or a new audit entry makes the next build
// read what is new, and the result equals an uncached build.
func TestCacheReadsNothingWhileTheTipsStay(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	sv := seed(t, st, 30)
	c := reporting.NewCache(4, time.Minute)
	first := build(t, c, st, sv.ID)
	if again := build(t, c, st, sv.ID); again != first || c.Unmoved() != 1 || c.Extends() != 0 || c.Loads() != 1 {
		t.Fatalf("nothing moved: %d unmoved, %d extensions, %d loads", c.Unmoved(), c.Extends(), c.Loads())
	}
	if err := st.AppendResponse(ctx, lateResponse(sv, "tip-late")); err != nil {
		t.Fatal(err)
	}
	rep := build(t, c, st, sv.ID)
	if rep.ChainLength != 31 || c.Extends() != 1 || c.Unmoved() != 1 {
		t.Fatalf("after a response: chain %d, %d extensions, %d unmoved", rep.ChainLength, c.Extends(), c.Unmoved())
	}
	sameAsUncached(t, st, rep)
	if err := st.AppendAudit(ctx, &account.Entry{ID: "tip-audit", At: time.Now(), Actor: "admin", Action: account.Action("login")}); err != nil {
		t.Fatal(err)
	}
	build(t, c, st, sv.ID)
	if c.Extends() != 2 || c.Unmoved() != 1 {
		t.Fatalf("after an audit entry: %d extensions, %d unmoved", c.Extends(), c.Unmoved())
	}
}
