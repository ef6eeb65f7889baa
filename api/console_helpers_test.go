package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/api"
	"renke/config"
	"renke/internal/testenv"
	"renke/kv"
	"renke/signing"
	"renke/store"
	"renke/survey"
)

func init() { account.HashCost = bcrypt.MinCost }

// Counties of the console fixture: users are assigned home, never foreign.
const (
	homeCounty    = "渝中区"
	foreignCounty = "江北区"
	testPassword  = "correct-horse-battery"
)

// consoleFixture is a running server with counties, users of every role and
// one draft survey in each county.
type consoleFixture struct {
	t       *testing.T
	srv     *api.Server
	ts      *httptest.Server
	store   *store.Store
	kv      *kv.Client
	users   map[string]*account.User // by name: admin, coord, eval, victim
	home    *survey.Survey
	foreign *survey.Survey
}

func newConsoleFixture(t *testing.T) *consoleFixture {
	t.Helper()
	return newConsoleFixtureWith(t, testConfig())
}

// newSignedConsoleFixture is a console fixture whose server signs with a
// fixed key (returned too), for tests of what evaluators download and verify.
func newSignedConsoleFixture(t *testing.T) (*consoleFixture, *signing.Key) {
	t.Helper()
	cfg := testConfig()
	key, err := signing.FromSeed(bytes.Repeat([]byte{7}, 32))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Signing = key
	return newConsoleFixtureWith(t, cfg), key
}

func newConsoleFixtureWith(t *testing.T, cfg *config.Config) *consoleFixture {
	t.Helper()
	ctx := context.Background()
	st := testenv.Store(t)
	k := testenv.KV(t)
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := api.New(api.Deps{Config: cfg, Store: st, KV: k, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	f := &consoleFixture{t: t, srv: srv, store: st, kv: k, users: map[string]*account.User{}}
	f.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(f.ts.Close)
	for _, c := range [][2]string{{homeCounty, "500103"}, {foreignCounty, "500105"}} {
		county, err := account.NewCounty(c[0], c[1], time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.CreateCounty(ctx, county); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []struct {
		name string
		role account.Role
	}{{"admin", account.Admin}, {"coord", account.Coordinator}, {"eval", account.Evaluator}, {"victim", account.Evaluator}} {
		f.addUser(u.name, u.role, homeCounty)
	}
	f.home = f.addSurvey(homeCounty)
	f.foreign = f.addSurvey(foreignCounty)
	return f
}

func (f *consoleFixture) addUser(name string, role account.Role, counties ...string) *account.User {
	f.t.Helper()
	if role == account.Admin {
		counties = nil
	}
	u, err := account.NewUser(name, role, counties, testPassword, time.Now())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.CreateUser(context.Background(), u); err != nil {
		f.t.Fatal(err)
	}
	f.users[name] = u
	return u
}

func (f *consoleFixture) addSurvey(county string) *survey.Survey {
	f.t.Helper()
	now := time.Now()
	sv, err := survey.NewSurvey(county, county+"社会认可度调查", now.Add(-time.Hour), now.Add(7*24*time.Hour), survey.DefaultForms())
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.store.CreateSurvey(context.Background(), sv); err != nil {
		f.t.Fatal(err)
	}
	return sv
}

func (f *consoleFixture) survey(id string) *survey.Survey {
	f.t.Helper()
	sv, err := f.store.Survey(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return sv
}

// client is a browser-like HTTP client with a cookie jar that does not follow redirects.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func (f *consoleFixture) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: f.t, base: f.ts.URL, hc: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login logs in through the JSON API and keeps the CSRF token.
func (f *consoleFixture) login(name string) *client {
	f.t.Helper()
	c := f.client()
	res, body := c.json("POST", "/api/v1/session", map[string]string{"name": name, "password": testPassword})
	if res.StatusCode != http.StatusOK {
		f.t.Fatalf("login %s: %d %s", name, res.StatusCode, body)
	}
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.CSRFToken == "" {
		f.t.Fatalf("login %s: no csrf token in %s", name, body)
	}
	c.csrf = out.CSRFToken
	return c
}

// do sends a request with the CSRF header (when the client has a token).
func (c *client) do(method, path, contentType string, body io.Reader, hdr map[string]string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range hdr {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func (c *client) json(method, path string, v any) (*http.Response, []byte) {
	c.t.Helper()
	var body io.Reader
	if v != nil {
		b, _ := json.Marshal(v)
		body = bytes.NewReader(b)
	}
	return c.do(method, path, "application/json", body, nil)
}

func (c *client) get(path string) (*http.Response, []byte) {
	c.t.Helper()
	return c.do("GET", path, "", nil, nil)
}

// form posts a form; the csrf field is filled from the client's token unless given.
func (c *client) form(path string, v url.Values) (*http.Response, []byte) {
	c.t.Helper()
	if v == nil {
		v = url.Values{}
	}
	if _, ok := v["csrf"]; !ok && c.csrf != "" {
		v.Set("csrf", c.csrf)
	}
	return c.do("POST", path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()), map[string]string{"X-CSRF-Token": ""})
}

// cookie is the value of the named cookie the jar holds for the server.
func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base)
	for _, k := range c.hc.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

func (c *client) setCookie(name, value string) {
	u, _ := url.Parse(c.base)
	c.hc.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}
