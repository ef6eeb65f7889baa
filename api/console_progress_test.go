package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"renke/survey"
	"renke/web/console"
)

// progressOf reads a survey's progress through the JSON API.
func progressOf(t *testing.T, c *client, id string) console.Progress {
	t.Helper()
	res, body := c.get("/api/v1/surveys/" + id + "/progress")
	var p console.Progress
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &p) != nil {
		t.Fatalf("progress: %d %s", res.StatusCode, body)
	}
	return p
}

// TestConsoleProgressShared checks that viewers share one computation of a
// survey's progress while it is fresh, that a new window or an override brings
// new responses in, and that the one-pass figures match the stored responses.
func TestConsoleProgressShared(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	base := time.Now().Truncate(time.Second)
	var skew atomic.Int64
	f.srv.SetClock(func() time.Time { return base.Add(time.Duration(skew.Load())) })
	advance := func(d time.Duration) { skew.Add(int64(d)) }

	sv, rs := f.openWithResponses(2)
	codes, err := f.store.Codes(ctx, sv.ID)
	if err != nil || len(codes) != 1 {
		t.Fatalf("codes %v, %v", codes, err)
	}
	coord, ev := f.login("coord"), f.login("eval")
	runs := f.srv.ProgressRuns()
	check := func(what string, p console.Progress, responses int64, updated time.Time, newRuns int64) {
		t.Helper()
		if p.Responses != responses || !p.Updated.Equal(updated) || f.srv.ProgressRuns() != runs+newRuns {
			t.Errorf("%s: %d responses updated %s after %d computations; want %d, %s, %d",
				what, p.Responses, p.Updated, f.srv.ProgressRuns()-runs, responses, updated, newRuns)
		}
	}
	check("first view", progressOf(t, coord, sv.ID), 2, base, 1)

	// Within the window another viewer gets the same figures, also on the panel.
	f.respond(sv, codes[0].Code, survey.Parent)
	check("second view", progressOf(t, ev, sv.ID), 2, base, 1)
	_, panel := coord.get("/console/surveys/" + sv.ID + "/progress/panel")
	if !strings.Contains(string(panel), `id="responses">2<`) || !strings.Contains(string(panel), console.WhenExact(base)) {
		t.Errorf("panel within the window:\n%s", panel)
	}
	if n := f.srv.ProgressRuns() - runs; n != 1 {
		t.Errorf("%d computations after the panel, want 1", n)
	}

	// Once the window has passed, viewers arriving together wait for one new computation.
	advance(10 * time.Second)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		c, path := coord, "/api/v1/surveys/"+sv.ID+"/progress"
		if i%2 == 1 {
			c, path = ev, "/console/surveys/"+sv.ID+"/progress/panel"
		}
		wg.Go(func() {
			res, err := c.hc.Get(c.base + path)
			if err != nil {
				errs <- err
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusOK || !strings.Contains(string(b), `"responses":3,`) && !strings.Contains(string(b), `id="responses">3<`) {
				errs <- fmt.Errorf("%s: %d %.300s", path, res.StatusCode, b)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	check("after the window", progressOf(t, coord, sv.ID), 3, base.Add(10*time.Second), 2)

	// An override changes the quality summary: the next view recomputes.
	f.respond(sv, codes[0].Code, survey.Parent)
	check("before the override", progressOf(t, coord, sv.ID), 3, base.Add(10*time.Second), 2)
	if res, body := ev.form("/console/surveys/"+sv.ID+"/overrides", url.Values{"response_id": {rs[0].ID}, "decision": {"exclude"}, "reason": {"同一设备重复作答"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d %.300s", res.StatusCode, body)
	}
	p := progressOf(t, coord, sv.ID)
	check("after the override", p, 4, base.Add(10*time.Second), 3)
	if p.Excluded < 1 {
		t.Errorf("the excluded response is not counted: %+v", p)
	}

	// Responses in two hours: the one-pass figures agree with the store's own queries.
	advance(2 * time.Hour)
	f.respond(sv, codes[0].Code, survey.Parent)
	p = progressOf(t, coord, sv.ID)
	check("two hours later", p, 5, base.Add(2*time.Hour+10*time.Second), 4)
	// Expected hours from the stored responses (Shanghai is a whole number of
	// hours from UTC, so truncating the instant gives the local hour).
	want := map[int64]int64{} // by the hour's Unix time
	if err := f.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error {
		want[r.SubmittedAt.Truncate(time.Hour).Unix()]++
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(want) < 2 || len(p.Hours) != len(want) {
		t.Fatalf("hours %+v, stored %v", p.Hours, want)
	}
	for i, h := range p.Hours {
		_, offset := h.Hour.Zone() // Shanghai time, as read back from JSON
		if n := want[h.Hour.Unix()]; n != h.Count || offset != 8*3600 ||
			(i > 0 && !p.Hours[i-1].Hour.Before(h.Hour)) {
			t.Errorf("hour %d: %+v, stored %d", i, h, n)
		}
	}
	counts, err := f.store.CountsByCode(ctx, sv.ID)
	if err != nil || len(p.Quotas) != 1 || p.Quotas[0].Used != counts[codes[0].Code] || p.Quotas[0].Quota != 50 || p.Quota != 50 {
		t.Errorf("quotas %+v, store counts %v, %v", p.Quotas, counts, err)
	}
	if p.Status != string(survey.Open) || p.Survey != sv.ID {
		t.Errorf("progress of %q status %q", p.Survey, p.Status)
	}
}
