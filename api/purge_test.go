package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"renke/casework"
	"renke/survey"
)

// TestConsolePurge: an admin purges an ended survey through the API; an
// open one is refused with 409, a coordinator with 403; afterwards no
// response keeps a device id, address hash or user agent, and the chain
// still verifies.
func TestConsolePurge(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	sv, rs := f.openWithResponses(4)
	if len(rs) != 4 || rs[0].DeviceID == "" || rs[0].Format != survey.FormatV2 {
		t.Fatalf("responses before: %+v", rs)
	}
	admin, coord := f.login("admin"), f.login("coord")
	path := "/api/v1/surveys/" + sv.ID + "/purge"
	if res, _ := admin.json("POST", path, nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("purge of an open survey: %d", res.StatusCode)
	}
	sv = f.survey(sv.ID)
	if err := sv.Transition(survey.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.store.UpdateSurvey(ctx, sv, survey.Open); err != nil {
		t.Fatal(err)
	}
	if res, _ := coord.json("POST", path, nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a coordinator's purge: %d", res.StatusCode)
	}
	res, body := admin.json("POST", path, nil)
	var out struct{ Purged, Kept int }
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil || out.Purged != 4 || out.Kept != 0 {
		t.Fatalf("admin's purge: %d %s", res.StatusCode, body)
	}
	c := survey.NewChecker()
	if err := f.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error {
		if r.DeviceID != "" || r.AddrHash != "" || r.UAFamily != "" {
			t.Errorf("response %s keeps personal fields", r.ID)
		}
		c.Add(r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if res := c.Result(); !res.OK || res.Verified != 4 {
		t.Fatalf("chain after the purge: %+v", res)
	}
	later := casework.New(f.store, nil, nil)
	later.SetClock(func() time.Time { return time.Now().Add(1000 * 24 * time.Hour) })
	if n, err := later.PurgeDue(ctx, casework.System()); err != nil || n != 0 {
		t.Fatalf("a purged survey is not purged again: %d %v", n, err)
	}
}

// TestConsolePurgeForm: the survey page offers admins the purge once the
// survey ended, and its form removes the fields as the API does.
func TestConsolePurgeForm(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	sv, _ := f.openWithResponses(3)
	admin := f.login("admin")
	page := "/console/surveys/" + sv.ID
	if _, body := admin.get(page); strings.Contains(string(body), "purge-survey") {
		t.Fatal("the purge is offered while the survey is open")
	}
	if res, _ := admin.form(page+"/purge", nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("purge form on an open survey: %d", res.StatusCode)
	}
	sv = f.survey(sv.ID)
	if err := sv.Transition(survey.Closed, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.store.UpdateSurvey(ctx, sv, survey.Open); err != nil {
		t.Fatal(err)
	}
	if _, body := admin.get(page); !strings.Contains(string(body), "purge-survey") {
		t.Fatal("the purge is not offered to an admin once the survey ended")
	}
	if _, body := f.login("coord").get(page); strings.Contains(string(body), "purge-survey") {
		t.Fatal("the purge is offered to a coordinator")
	}
	if res, _ := admin.form(page+"/purge", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("purge form: %d", res.StatusCode)
	}
	if err := f.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error {
		if r.DeviceID != "" || r.AddrHash != "" {
			t.Errorf("response %s keeps personal fields", r.ID)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
