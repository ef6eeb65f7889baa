package main

// The door-parity test: every rule of the application layer, tried through
// each door (console form post, JSON API, command line) against one store,
// must give the same refusal or acceptance, the same message and the same
// audit entry (action, actor, the keys of before and after).

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/api"
	"renke/casework"
	"renke/config"
	"renke/demo"
	"renke/internal/testenv"
	"renke/sampling"
	"renke/store"
	"renke/survey"
)

const (
	parityDB       = "renke_parity"
	otherCounty    = "示例县"
	parityPassword = "correct-horse-battery"
)

// outcome is what a door answered: accepted, or the refusal's message.
type outcome struct {
	ok  bool
	msg string // the refusal's message (console: the page's text)
	id  string // a created survey's id
	out string // what was shown on success
}

// door drives one way in.
type door struct {
	name  string
	actor string
	// form is true for the console, whose refusals are HTML pages.
	form         bool
	createSurvey func(t *testing.T, county string, opens, closes time.Time) outcome
	open         func(t *testing.T, id string) outcome
	frame        func(t *testing.T, id string, f *sampling.Frame) outcome
	draw         func(t *testing.T, id string, seed int64, void bool) outcome
	planCodes    func(t *testing.T, id string) outcome
	issue        func(t *testing.T, id string, in casework.IssueInput) outcome
	addUser      func(t *testing.T, name, role, county string) outcome
	phase        func(t *testing.T, id string) string // the survey's status as the door shows it
}

type parityEnv struct {
	st      *store.Store
	ts      *httptest.Server
	cliArgs []string
}

func newParityEnv(t *testing.T) *parityEnv {
	account.HashCost = bcrypt.MinCost
	ctx := context.Background()
	dir := t.TempDir()
	mdir := filepath.Join(dir, "mongo")
	if err := os.MkdirAll(mdir, 0o700); err != nil {
		t.Fatal(err)
	}
	uri := testenv.Mongo(t, mdir)
	t.Setenv("RENKE_DATABASE", parityDB)
	st, err := store.Open(ctx, uri, parityDB, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close(context.Background()) })
	redisURL := testenv.RedisURL(t)
	kvc := testenv.KVAt(t, redisURL)
	cfg := &config.Config{Addr: "127.0.0.1:0", PublicURL: "http://127.0.0.1:8080", Database: parityDB,
		Secret: []byte("test-secret-0123456789abcdef"), ShutdownTimeout: 5 * time.Second,
		Limits: config.Limits{PerAddr: 10000, PerCode: 10000, PerSurvey: 100000}}
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	srv, err := api.New(api.Deps{Config: cfg, Store: st, KV: kvc, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	for _, k := range [][2]string{{demo.CountyName, demo.CountyCode}, {otherCounty, "990102"}} {
		c, err := account.NewCounty(k[0], k[1], time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateCounty(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	u, err := account.NewUser("admin", account.Admin, nil, parityPassword, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return &parityEnv{st: st, ts: ts,
		cliArgs: []string{"--data", filepath.Join(dir, "cli"), "--mongo", uri, "--redis", redisURL}}
}

// auditShape is what must match across doors in an audit entry.
type auditShape struct {
	Action      account.Action
	Actor       string
	Before      []string // keys of the before JSON object
	After       []string
	NotePresent bool
}

func keys(js string) []string {
	var m map[string]any
	if json.Unmarshal([]byte(js), &m) != nil {
		return nil
	}
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// trail is the survey's audit entries (scope "" : the whole log), newest first.
func (p *parityEnv) trail(t *testing.T, surveyID string) []account.Entry {
	t.Helper()
	list, err := p.st.Audit(context.Background(), store.AuditFilter{Survey: surveyID}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestDoorParity(t *testing.T) {
	p := newParityEnv(t)
	ctx := context.Background()
	doors := []door{consoleDoor(t, p), apiDoor(t, p), cliDoor(t, p)}
	now := time.Now()
	good := demo.Frame()
	foreign := demo.Frame()
	foreign.County.Name = otherCounty

	// shapes[rule][door] is the audit entry each door wrote (or refused to).
	shapes := map[string]map[string]auditShape{}
	msgs := map[string]map[string]string{}
	note := func(rule string, d door, sh auditShape, msg string) {
		if shapes[rule] == nil {
			shapes[rule], msgs[rule] = map[string]auditShape{}, map[string]string{}
		}
		shapes[rule][d.name], msgs[rule][d.name] = sh, msg
	}
	// expect asserts the outcome and returns the newest audit entry's shape
	// when accepted (and that no entry was written when refused).
	expect := func(t *testing.T, d door, rule, surveyID string, before int, o outcome, want string) {
		t.Helper()
		entries := p.trail(t, surveyID)
		if want == "" {
			if !o.ok {
				t.Fatalf("%s · %s: refused: %s", d.name, rule, o.msg)
			}
			if len(entries) <= before {
				t.Fatalf("%s · %s: accepted without an audit entry", d.name, rule)
			}
			e := entries[0]
			if e.Actor != d.actor {
				t.Errorf("%s · %s: audit actor %q, want %q", d.name, rule, e.Actor, d.actor)
			}
			note(rule, d, auditShape{Action: e.Action, Actor: "", Before: keys(e.Before), After: keys(e.After), NotePresent: e.Note != ""}, "")
			return
		}
		if o.ok {
			t.Fatalf("%s · %s: accepted, want a refusal containing %q", d.name, rule, want)
		}
		if !strings.Contains(o.msg, want) {
			t.Errorf("%s · %s: refusal %q does not say %q", d.name, rule, o.msg, want)
		}
		if len(entries) != before {
			t.Errorf("%s · %s: a refused change wrote %d audit entries", d.name, rule, len(entries)-before)
		}
		note(rule, d, auditShape{}, o.msg)
	}
	count := func(id string) int { return len(p.trail(t, id)) }

	for _, d := range doors {
		t.Run(d.name, func(t *testing.T) {
			// A survey created, given its frame, plan and codes, all audited with the door's actor.
			o := d.createSurvey(t, demo.CountyName, now.Add(-time.Hour), now.Add(30*24*time.Hour))
			if !o.ok || o.id == "" {
				t.Fatalf("create survey: %+v", o)
			}
			id := o.id
			expect(t, d, "create", id, 0, o, "")

			n := count(id)
			expect(t, d, "wrong-county frame", id, n, d.frame(t, id, foreign), "抽样框属于“示例县”，本调查属于“青禾县”")
			expect(t, d, "frame", id, n, d.frame(t, id, good), "")
			n = count(id)
			expect(t, d, "draw", id, n, d.draw(t, id, 7, false), "")
			n = count(id)
			expect(t, d, "plan codes", id, n, d.planCodes(t, id), "")
			n = count(id)
			expect(t, d, "redraw without confirmation", id, n, d.draw(t, id, 8, false), "重新抽样将作废这些访问码")
			expect(t, d, "out-of-plan school", id, n, d.issue(t, id, casework.IssueInput{Kind: "shared", Group: "parent",
				School: "9999999999", Urbanicity: "城区", Quota: 10}), "学校“9999999999”不在本调查的抽样方案中")
			expect(t, d, "beyond the plan's quota", id, n, d.issue(t, id, casework.IssueInput{Kind: "onetime", Group: "deputy", Count: 40}),
				"将超出方案")
			expect(t, d, "out of plan with a reason", id, n, d.issue(t, id, casework.IssueInput{Kind: "onetime", Group: "deputy", Count: 40,
				OutOfPlan: "人大常委会要求全体代表参加"}), "")
			if e := p.trail(t, id)[0]; !strings.Contains(e.After, "人大常委会要求全体代表参加") {
				t.Errorf("the out-of-plan reason is not in the audit entry: %s", e.After)
			}

			// The confirmed redraw voids the plan's codes (not the out-of-plan ones) and is audited.
			n = count(id)
			o = d.draw(t, id, 8, true)
			e := p.trail(t, id)
			if len(e) != n+2 {
				t.Fatalf("%s · redraw confirmed: %+v, %d audit entries, want 2", d.name, o, len(e)-n)
			}
			// The two entries may share a millisecond: find them by action.
			var void, plan *account.Entry
			for i := range e[:2] {
				switch e[i].Action {
				case account.ActCodesVoid:
					void = &e[i]
				case account.ActSurveyPlan:
					plan = &e[i]
				}
			}
			if void == nil || plan == nil || void.Actor != d.actor || plan.Actor != d.actor {
				t.Fatalf("the redraw is not audited as voiding and drawing by %s: %+v", d.actor, e[:2])
			}
			note("redraw confirmed", d, auditShape{Action: void.Action, Before: keys(void.Before), After: keys(void.After), NotePresent: void.Note != ""}, "")
			codes, err := p.st.Codes(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range codes {
				if (c.OutOfPlan == "") == c.Voided.IsZero() {
					t.Fatalf("after the redraw code %s (out of plan %q) voided at %v", c.Code, c.OutOfPlan, c.Voided)
				}
			}
			// A respondent with a voided code is told so.
			res, err := http.Get(p.ts.URL + "/s/" + codes[0].Code)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusGone || !strings.Contains(string(page), "此二维码已作废") {
				t.Errorf("a voided code's page: %d %.300s", res.StatusCode, page)
			}
			n = count(id)
			expect(t, d, "plan codes after the redraw", id, n, d.planCodes(t, id), "")

			// The window: opening after it ended is refused; before it starts the survey is scheduled.
			ended := d.createSurvey(t, demo.CountyName, now.Add(-10*24*time.Hour), now.Add(-time.Hour))
			if !ended.ok {
				t.Fatalf("create an ended survey: %+v", ended)
			}
			expect(t, d, "open after the window", ended.id, count(ended.id), d.open(t, ended.id), survey.ErrWindowPassed.Error())
			later := d.createSurvey(t, demo.CountyName, now.Add(48*time.Hour), now.Add(30*24*time.Hour))
			if !later.ok {
				t.Fatalf("create a later survey: %+v", later)
			}
			expect(t, d, "open before the window", later.id, count(later.id), d.open(t, later.id), "")
			sv, err := p.st.Survey(ctx, later.id)
			if err != nil {
				t.Fatal(err)
			}
			label := sv.PhaseAt(time.Now()).Label
			if !strings.HasPrefix(label, "已开放，") || !strings.HasSuffix(label, " 开始作答") {
				t.Errorf("phase of a survey opened before its window: %q", label)
			}
			if got := d.phase(t, later.id); !strings.Contains(got, label) {
				t.Errorf("%s shows the scheduled survey without %q: %.300s", d.name, label, got)
			}

			// A new user's role must be chosen.
			before := len(p.trail(t, ""))
			o = d.addUser(t, "norole-"+d.name, "", demo.CountyName)
			if o.ok || !strings.Contains(o.msg, casework.MsgRoleRequired) {
				t.Errorf("a user without a role: %+v", o)
			}
			if after := len(p.trail(t, "")); after != before {
				t.Errorf("a refused user wrote %d audit entries", after-before)
			}
			o = d.addUser(t, "coord-"+d.name, "coordinator", demo.CountyName)
			if !o.ok {
				t.Fatalf("add a coordinator: %+v", o)
			}
			if e := p.trail(t, "")[0]; e.Action != account.ActUserCreate || e.Actor != d.actor || e.Target != "coord-"+d.name {
				t.Errorf("user creation audited as %+v", e)
			}
		})
	}

	// Every rule: the same acceptance or refusal and the same audit entry at every door.
	for rule, byDoor := range shapes {
		ref := byDoor[doors[0].name]
		for _, d := range doors[1:] {
			got, ok := byDoor[d.name]
			if !ok {
				t.Errorf("%s: not tried at the %s door", rule, d.name)
				continue
			}
			if got.Action != ref.Action || !slices.Equal(got.Before, ref.Before) || !slices.Equal(got.After, ref.After) || got.NotePresent != ref.NotePresent {
				t.Errorf("%s: audit entry at %s %+v, at %s %+v", rule, d.name, got, doors[0].name, ref)
			}
		}
		// The API's message is the layer's own; the console's page and the
		// command line's output carry it word for word.
		for _, d := range doors {
			if api := msgs[rule]["api"]; !strings.Contains(msgs[rule][d.name], api) {
				t.Errorf("%s: refusal at %s %q, not the API's %q", rule, d.name, msgs[rule][d.name], api)
			}
		}
	}
}
