package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"renke/report"
	"renke/web/console"
)

// reportQuality is the quality tally of a survey's JSON report.
func reportQuality(t *testing.T, c *client, surveyID string) (status int, flagged, excluded int) {
	t.Helper()
	res, body := c.get("/api/v1/surveys/" + surveyID + "/report")
	var rep report.Report
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &rep); err != nil || rep.Quality == nil {
			t.Fatalf("report JSON: %v %.300s", err, body)
		}
		return res.StatusCode, rep.Quality.Flagged, rep.Quality.Excluded
	}
	return res.StatusCode, -1, -1
}

// defaultRulesForm is the report page's rules form as it shows the defaults.
func defaultRulesForm() url.Values {
	return url.Values{
		"speeder_enabled": {"true"}, "speeder_exclude": {"true"}, "speeder_floor_seconds": {"60"}, "speeder_median_fraction": {"0.3333333333333333"},
		"straightline_enabled": {"true"}, "straightline_min_items": {"10"},
		"repeat_device_enabled": {"true"}, "repeat_device_exclude": {"true"},
		"burst_enabled": {"true"}, "burst_max_per_window": {"20"}, "burst_window_minutes": {"10"},
	}
}

func TestConsoleQualityRules(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	sv, rs := f.openWithResponses(6) // every answer "认可": straight-lined, flagged but kept by default
	ev := f.login("eval")
	rulesPath := "/api/v1/surveys/" + sv.ID + "/quality-rules"

	var got struct{ Rules console.QualityRules }
	res, body := ev.get(rulesPath)
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &got) != nil || !got.Rules.StraightLineEnabled ||
		got.Rules.StraightLineExclude || got.Rules.SpeederFloorSeconds != 60 || got.Rules.BurstWindowMinutes != 10 {
		t.Fatalf("default rules: %d %s", res.StatusCode, body)
	}
	if st, flagged, excluded := reportQuality(t, ev, sv.ID); st != http.StatusOK || flagged != len(rs) || excluded != 0 {
		t.Fatalf("with the default rules: %d, %d flagged, %d excluded; want all %d flagged, none excluded", st, flagged, excluded, len(rs))
	}

	// The form turns straight-lining off: nothing is flagged any more.
	form := defaultRulesForm()
	form.Del("straightline_enabled")
	res, _ = ev.form("/console/surveys/"+sv.ID+"/quality-rules", form)
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "?ok=rules") {
		t.Fatalf("rules form: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if st, flagged, excluded := reportQuality(t, ev, sv.ID); st != http.StatusOK || flagged != 0 || excluded != 0 {
		t.Fatalf("straight-lining off: %d, %d flagged, %d excluded", st, flagged, excluded)
	}

	// The API makes straight-lining exclude: every response goes, so no rate is left.
	in := got.Rules
	in.StraightLineExclude = true
	res, body = ev.json("PUT", rulesPath, in)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("PUT rules: %d %s", res.StatusCode, body)
	}
	if st, _, _ := reportQuality(t, ev, sv.ID); st != http.StatusConflict {
		t.Fatalf("with every response excluded the report JSON answered %d, want 409 (no valid response)", st)
	}
	_, page := ev.get("/console/surveys/" + sv.ID + "/report")
	if !strings.Contains(string(page), "最终剔除 6 份") || !strings.Contains(string(page), `id="rules-form"`) {
		t.Errorf("report page after the rules changed: %.3000s", page)
	}
	stored, err := f.store.QualityRules(ctx, sv.ID)
	if err != nil || !stored.StraightLine.Exclude {
		t.Fatalf("stored rules %+v, %v", stored, err)
	}

	// Bad rules are refused with the reason, and the stored ones stay.
	bad := defaultRulesForm()
	bad.Set("speeder_floor_seconds", "一分钟")
	bad.Set("burst_max_per_window", "")
	res, body = ev.form("/console/surveys/"+sv.ID+"/quality-rules", bad)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "答题过快的时间下限应为数字") ||
		!strings.Contains(string(body), "集中提交的份数上限应为整数") {
		t.Errorf("unparsable form: %d %.300s", res.StatusCode, body)
	}
	for name, mutate := range map[string]func(*console.QualityRules){
		"median fraction 2":    func(r *console.QualityRules) { r.SpeederMedianFraction = 2 },
		"burst limit 0":        func(r *console.QualityRules) { r.BurstMaxPerWindow = 0 },
		"floor of a year":      func(r *console.QualityRules) { r.SpeederFloorSeconds = 365 * 24 * 3600 },
		"negative window":      func(r *console.QualityRules) { r.BurstWindowMinutes = -5 },
		"one item straight":    func(r *console.QualityRules) { r.StraightLineMinItems = 1 },
		"absurd burst window":  func(r *console.QualityRules) { r.BurstWindowMinutes = 1e300 },
		"absurd minimum items": func(r *console.QualityRules) { r.StraightLineMinItems = 1 << 40 },
	} {
		r := in
		mutate(&r)
		if res, body := ev.json("PUT", rulesPath, r); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s, want 422", name, res.StatusCode, body)
		}
	}
	// A body with some fields changes only those.
	res, body = ev.do("PUT", rulesPath, "application/json", strings.NewReader(`{"burst_max_per_window": 7}`), nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("partial PUT: %d %s", res.StatusCode, body)
	}
	partial, _ := f.store.QualityRules(ctx, sv.ID)
	want := stored
	want.Burst.MaxPerWindow = 7
	if !reflect.DeepEqual(partial, want) {
		t.Fatalf("partial PUT stored %+v, want %+v", partial, want)
	}
	stored = partial
	if res, _ := ev.do("PUT", rulesPath, "application/json", strings.NewReader(`{"speeder_enabled": true, "rules": "all"}`), nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown field: %d, want 400", res.StatusCode)
	}
	if after, _ := f.store.QualityRules(ctx, sv.ID); !reflect.DeepEqual(after, stored) {
		t.Errorf("refused rules changed the stored ones: %+v", after)
	}

	// Both changes are in the survey's audit trail with before and after.
	res, body = ev.get("/api/v1/surveys/" + sv.ID + "/audit")
	if res.StatusCode != http.StatusOK || strings.Count(string(body), `"action":"quality.rules"`) != 3 ||
		!strings.Contains(string(body), `straightline_exclude\":true`) {
		t.Errorf("audit trail: %d %.2000s", res.StatusCode, body)
	}
	// The coordinator may not change them.
	if res, _ := f.login("coord").json("PUT", rulesPath, in); res.StatusCode != http.StatusForbidden {
		t.Errorf("coordinator PUT rules: %d, want 403", res.StatusCode)
	}
}
