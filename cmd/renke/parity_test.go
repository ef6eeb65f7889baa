package main

// The door-parity test: every rule of the application layer, tried through
// each door (console form post, JSON API, command line) against one store,
// must give the same refusal or acceptance, the same message and the same
// audit entry (action, actor, the keys of before and after).

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
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

// httpClient is a logged-in console user's browser.
type httpClient struct {
	base string
	hc   *http.Client
	csrf string
}

func (p *parityEnv) login(t *testing.T) *httpClient {
	jar, _ := cookiejar.New(nil)
	c := &httpClient{base: p.ts.URL, hc: &http.Client{Jar: jar, Timeout: 5 * time.Minute, // a guard against a hang, not a speed assertion (-race on a loaded machine)
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res, body := c.send(t, "POST", "/api/v1/session", "application/json", strings.NewReader(`{"name":"admin","password":"`+parityPassword+`"}`))
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil {
		t.Fatalf("login: %d %s", res.StatusCode, body)
	}
	c.csrf = out.CSRF
	return c
}

func (c *httpClient) send(t *testing.T, method, path, ctype string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

// form posts a console form; 303 is acceptance, anything else a refusal page.
func (c *httpClient) form(t *testing.T, path string, v url.Values) outcome {
	t.Helper()
	v.Set("csrf", c.csrf)
	res, body := c.send(t, "POST", path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	return pageOutcome(res, body)
}

func pageOutcome(res *http.Response, body []byte) outcome {
	if res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusCreated {
		loc := res.Header.Get("Location")
		id := ""
		if i := strings.Index(loc, "/console/surveys/"); i >= 0 {
			id = strings.SplitN(strings.SplitN(loc[i+len("/console/surveys/"):], "?", 2)[0], "/", 2)[0]
		}
		return outcome{ok: true, id: id, out: string(body)}
	}
	return outcome{msg: fmt.Sprintf("%d %s", res.StatusCode, html.UnescapeString(string(body)))}
}

// json sends a JSON API request; 2xx is acceptance.
func (c *httpClient) json(t *testing.T, method, path string, v any) (outcome, []byte) {
	t.Helper()
	b, _ := json.Marshal(v)
	res, body := c.send(t, method, path, "application/json", bytes.NewReader(b))
	if res.StatusCode/100 == 2 {
		return outcome{ok: true, out: string(body)}, body
	}
	var e struct {
		Error string `json:"error"`
	}
	json.Unmarshal(body, &e)
	return outcome{msg: e.Error}, body
}

func inputTime(t time.Time) string { return t.In(survey.Shanghai).Format("2006-01-02T15:04") }

func consoleDoor(t *testing.T, p *parityEnv) door {
	c := p.login(t)
	return door{name: "console", actor: "admin", form: true,
		createSurvey: func(t *testing.T, county string, opens, closes time.Time) outcome {
			return c.form(t, "/console/counties/"+url.PathEscape(county)+"/surveys",
				url.Values{"title": {""}, "opens": {inputTime(opens)}, "closes": {inputTime(closes)}})
		},
		open: func(t *testing.T, id string) outcome { return c.form(t, "/console/surveys/"+id+"/open", url.Values{}) },
		frame: func(t *testing.T, id string, f *sampling.Frame) outcome {
			var x bytes.Buffer
			if err := f.WriteXLSX(&x); err != nil {
				t.Fatal(err)
			}
			var body bytes.Buffer
			w := multipart.NewWriter(&body)
			w.WriteField("csrf", c.csrf)
			fw, _ := w.CreateFormFile("frame", "frame.xlsx")
			fw.Write(x.Bytes())
			w.Close()
			res, b := c.send(t, "POST", "/console/surveys/"+id+"/frame", w.FormDataContentType(), &body)
			return pageOutcome(res, b)
		},
		draw: func(t *testing.T, id string, seed int64, void bool) outcome {
			v := url.Values{"seed": {fmt.Sprint(seed)}}
			if void {
				v.Set("void_codes", "1")
			}
			return c.form(t, "/console/surveys/"+id+"/plan", v)
		},
		planCodes: func(t *testing.T, id string) outcome {
			return c.form(t, "/console/surveys/"+id+"/plan/codes", url.Values{})
		},
		issue: func(t *testing.T, id string, in casework.IssueInput) outcome {
			return c.form(t, "/console/surveys/"+id+"/codes", url.Values{"kind": {in.Kind}, "group": {in.Group}, "band": {in.Band},
				"school": {in.School}, "urbanicity": {in.Urbanicity}, "quota": {fmt.Sprint(in.Quota)}, "count": {fmt.Sprint(in.Count)},
				"out_of_plan": {in.OutOfPlan}})
		},
		addUser: func(t *testing.T, name, role, county string) outcome {
			v := url.Values{"name": {name}}
			if role != "" {
				v.Set("role", role)
			}
			if county != "" {
				v.Set("county", county)
			}
			return c.form(t, "/console/users", v)
		},
		phase: func(t *testing.T, id string) string {
			_, body := c.send(t, "GET", "/console/surveys/"+id, "", nil)
			return html.UnescapeString(string(body))
		},
	}
}

func apiDoor(t *testing.T, p *parityEnv) door {
	c := p.login(t)
	return door{name: "api", actor: "admin",
		createSurvey: func(t *testing.T, county string, opens, closes time.Time) outcome {
			o, body := c.json(t, "POST", "/api/v1/counties/"+url.PathEscape(county)+"/surveys", map[string]any{"opens": opens, "closes": closes})
			var sv struct{ ID string }
			json.Unmarshal(body, &sv)
			o.id = sv.ID
			return o
		},
		open: func(t *testing.T, id string) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/open", nil)
			return o
		},
		frame: func(t *testing.T, id string, f *sampling.Frame) outcome {
			b, err := f.JSON()
			if err != nil {
				t.Fatal(err)
			}
			res, body := c.send(t, "PUT", "/api/v1/surveys/"+id+"/frame", "application/json", bytes.NewReader(b))
			if res.StatusCode == http.StatusOK {
				return outcome{ok: true}
			}
			var e struct{ Error string }
			json.Unmarshal(body, &e)
			return outcome{msg: e.Error}
		},
		draw: func(t *testing.T, id string, seed int64, void bool) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/plan", map[string]any{"seed": seed, "void_codes": void})
			return o
		},
		planCodes: func(t *testing.T, id string) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/plan/codes", nil)
			return o
		},
		issue: func(t *testing.T, id string, in casework.IssueInput) outcome {
			o, _ := c.json(t, "POST", "/api/v1/surveys/"+id+"/codes", in)
			return o
		},
		addUser: func(t *testing.T, name, role, county string) outcome {
			in := map[string]any{"name": name, "role": role}
			if county != "" {
				in["counties"] = []string{county}
			}
			o, _ := c.json(t, "POST", "/api/v1/users", in)
			return o
		},
		phase: func(t *testing.T, id string) string {
			_, body := c.send(t, "GET", "/api/v1/surveys/"+id, "", nil)
			var sv struct{ Phase survey.Phase }
			json.Unmarshal(body, &sv)
			return sv.Phase.Label
		},
	}
}

func cliDoor(t *testing.T, p *parityEnv) door {
	ctx := context.Background()
	run := func(t *testing.T, f func(context.Context, []string) error, args ...string) outcome {
		t.Helper()
		var out bytes.Buffer
		stdout = &out
		defer func() { stdout = os.Stdout }()
		// Flags after positional arguments, as an operator types them.
		if err := f(ctx, append(args, p.cliArgs...)); err != nil {
			return outcome{msg: message(err)}
		}
		return outcome{ok: true, out: out.String(), id: strings.TrimSpace(out.String())}
	}
	return door{name: "cli", actor: casework.CLI().Name(),
		createSurvey: func(t *testing.T, county string, opens, closes time.Time) outcome {
			return run(t, surveyCreate, "--county", county, "--opens", opens.Format(time.RFC3339), "--closes", closes.Format(time.RFC3339))
		},
		open: func(t *testing.T, id string) outcome {
			return run(t, func(ctx context.Context, a []string) error { return surveyTransition(ctx, "open", a) }, id)
		},
		frame: func(t *testing.T, id string, f *sampling.Frame) outcome {
			b, err := f.JSON()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "frame.json")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			return run(t, frameUpload, path, "--survey", id)
		},
		draw: func(t *testing.T, id string, seed int64, void bool) outcome {
			args := []string{id, "--seed", fmt.Sprint(seed)}
			if void {
				args = append(args, "--void-codes")
			}
			return run(t, planDraw, args...)
		},
		planCodes: func(t *testing.T, id string) outcome { return run(t, planCodes, id) },
		issue: func(t *testing.T, id string, in casework.IssueInput) outcome {
			args := []string{"--survey", id, "--kind", in.Kind, "--group", in.Group, "--band", in.Band, "--school", in.School,
				"--urbanicity", in.Urbanicity, "--quota", fmt.Sprint(in.Quota), "--count", fmt.Sprint(in.Count), "--out-of-plan", in.OutOfPlan}
			return run(t, codesIssue, args...)
		},
		addUser: func(t *testing.T, name, role, county string) outcome {
			args := []string{"--name", name, "--role", role}
			if county != "" {
				args = append(args, "--county", county)
			}
			return run(t, func(ctx context.Context, a []string) error { return userAdd(ctx, a, strings.NewReader(""), stdout) }, args...)
		},
		phase: func(t *testing.T, id string) string {
			o := run(t, surveyList)
			for _, line := range strings.Split(o.out, "\n") {
				if strings.HasPrefix(line, id) {
					return line
				}
			}
			return ""
		},
	}
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
