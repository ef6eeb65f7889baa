package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"renke/account"
	"renke/api"
	"renke/store"
)

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loginForm logs in through the login page as a browser does.
func (c *client) loginForm(name, password, next string) *http.Response {
	c.t.Helper()
	res, body := c.get("/login?next=" + url.QueryEscape(next))
	m := csrfField.FindSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil {
		c.t.Fatalf("login page: %d, csrf field found: %v", res.StatusCode, m != nil)
	}
	res, _ = c.do("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(url.Values{
		"csrf": {string(m[1])}, "name": {name}, "password": {password}, "next": {next}}.Encode()), nil)
	return res
}

// refreshCSRF reads the session's CSRF token from the API.
func (c *client) refreshCSRF() {
	c.t.Helper()
	res, body := c.get("/api/v1/session")
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil {
		c.t.Fatalf("session: %d %s", res.StatusCode, body)
	}
	c.csrf = out.CSRFToken
}

func TestAuthLoginPageAndCookie(t *testing.T) {
	f := newConsoleFixture(t)
	c := f.client()
	res := c.loginForm("Coord", testPassword, "/console/surveys/"+f.home.ID)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/surveys/"+f.home.ID {
		t.Fatalf("login: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, k := range res.Cookies() {
		if k.Name == "renke_session" {
			cookie = k
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain http", cookie)
	}
	if len(cookie.Value) < 43 {
		t.Errorf("session id %q shorter than 256 bits", cookie.Value)
	}
	if res, _ := c.get("/console/surveys/" + f.home.ID); res.StatusCode != http.StatusOK {
		t.Errorf("after login the survey page: %d", res.StatusCode)
	}
	// An open redirect through next is refused.
	c2 := f.client()
	if res := c2.loginForm("coord", testPassword, "//evil.example/x"); res.Header.Get("Location") != "/console" {
		t.Errorf("next=//evil.example: redirected to %q", res.Header.Get("Location"))
	}
	// The login form needs its own token.
	c3 := f.client()
	res, body := c3.do("POST", "/login", "application/x-www-form-urlencoded",
		strings.NewReader(url.Values{"name": {"coord"}, "password": {testPassword}}.Encode()), nil)
	if res.StatusCode != http.StatusForbidden || c3.cookie("renke_session") != "" {
		t.Errorf("login without the form token: %d (%s), session cookie %q", res.StatusCode, body, c3.cookie("renke_session"))
	}
}

func TestAuthSecureCookieOverHTTPS(t *testing.T) {
	cfg := testConfig()
	cfg.PublicURL = "https://renke.example.org"
	f := newConsoleFixtureWith(t, cfg)
	c := f.client()
	res, body := c.json("POST", "/api/v1/session", map[string]string{"name": "coord", "password": testPassword})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login: %d %s", res.StatusCode, body)
	}
	for _, k := range res.Cookies() {
		if k.Name == "__Host-renke_session" && k.Secure && k.HttpOnly && k.Path == "/" {
			return
		}
	}
	t.Errorf("cookies %v: want a Secure, HttpOnly __Host-renke_session when the public URL is https", res.Cookies())
}

func TestAuthSessionFixation(t *testing.T) {
	f := newConsoleFixture(t)
	// The attacker holds a live session of their own and plants its id in the victim's browser.
	attacker := f.login("eval")
	planted := attacker.cookie("renke_session")
	victim := f.client()
	victim.setCookie("renke_session", planted)
	if res, body := victim.json("POST", "/api/v1/session", map[string]string{"name": "coord", "password": testPassword}); res.StatusCode != http.StatusOK {
		t.Fatalf("victim login: %d %s", res.StatusCode, body)
	}
	got := victim.cookie("renke_session")
	if got == "" || got == planted {
		t.Fatalf("session id after login %q: must be new, not the planted %q", got, planted)
	}
	victim.refreshCSRF()
	var who struct {
		User account.User `json:"user"`
	}
	_, body := victim.get("/api/v1/session")
	json.Unmarshal(body, &who)
	if who.User.Name != "coord" {
		t.Errorf("victim's session is %q", who.User.Name)
	}
	// The planted id is dead: it neither became the victim's session nor stayed the attacker's.
	if res, _ := attacker.get("/api/v1/session"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("planted session after the victim's login: %d, want 401", res.StatusCode)
	}
	// An id the server never issued is replaced as well.
	other := f.client()
	other.setCookie("renke_session", "chosen-by-attacker-0123456789")
	if res := other.loginForm("coord", testPassword, "/console"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login through the page: %d", res.StatusCode)
	}
	if v := other.cookie("renke_session"); v == "chosen-by-attacker-0123456789" || v == "" {
		t.Errorf("session id after login %q: a made-up id must be replaced", v)
	}
	if res, _ := other.get("/console"); res.StatusCode != http.StatusOK {
		t.Errorf("console with the new session: %d", res.StatusCode)
	}
}

func TestAuthLoginThrottledPerAccount(t *testing.T) {
	f := newConsoleFixture(t)
	c := f.client()
	for i := 0; i < api.MaxLoginFailures; i++ {
		res, body := c.json("POST", "/api/v1/session", map[string]string{"name": "coord", "password": "wrong-password-" + strconv.Itoa(i)})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "用户名或密码错误") {
			t.Fatalf("failure %d: %d %s", i+1, res.StatusCode, body)
		}
	}
	res, body := c.json("POST", "/api/v1/session", map[string]string{"name": "coord", "password": testPassword})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d failures the right password: %d %s (Retry-After %q), want 429", api.MaxLoginFailures, res.StatusCode, body, res.Header.Get("Retry-After"))
	}
	if secs, _ := strconv.Atoi(res.Header.Get("Retry-After")); secs < 1 || secs > int(api.LoginFailureWindow.Seconds()) {
		t.Errorf("Retry-After %q outside the window", res.Header.Get("Retry-After"))
	}
	// The page says so too.
	if res := f.client().loginForm("coord", testPassword, "/console"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login page for a locked account: %d", res.StatusCode)
	}
	// Another account is not locked; unknown names are counted like known ones.
	if res, _ := f.client().json("POST", "/api/v1/session", map[string]string{"name": "eval", "password": testPassword}); res.StatusCode != http.StatusOK {
		t.Errorf("another account: %d", res.StatusCode)
	}
	for i := 0; i < api.MaxLoginFailures; i++ {
		c.json("POST", "/api/v1/session", map[string]string{"name": "nobody", "password": "whatever-it-is"})
	}
	if res, _ := c.json("POST", "/api/v1/session", map[string]string{"name": "nobody", "password": "x-whatever"}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("unknown name after %d failures: %d, want 429 like a real account", api.MaxLoginFailures, res.StatusCode)
	}
	// Failures and throttles are in the audit log, with no password in it.
	entries, err := f.store.Audit(context.Background(), store.AuditFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var failed, throttled int
	for _, e := range entries {
		switch e.Action {
		case account.ActLoginFailed:
			failed++
		case account.ActLoginThrottled:
			throttled++
		}
		if strings.Contains(e.Before+e.After+e.Note+e.Target, "wrong-password") {
			t.Errorf("audit entry holds a password: %+v", e)
		}
	}
	if failed != 2*api.MaxLoginFailures || throttled < 3 {
		t.Errorf("audit: %d failed logins, %d throttled; want %d and ≥3", failed, throttled, 2*api.MaxLoginFailures)
	}
}

func TestAuthLoginThrottledPerAddress(t *testing.T) {
	f := newConsoleFixture(t)
	c := f.client()
	got429 := 0
	for i := 0; i < api.LoginAttemptsPerAddr+1; i++ {
		// A different name each time: only the per-address limit can stop this.
		res, _ := c.json("POST", "/api/v1/session", map[string]string{"name": "spray" + strconv.Itoa(i), "password": "guess-guess-guess"})
		if res.StatusCode == http.StatusTooManyRequests {
			got429++
		}
	}
	if got429 != 1 {
		t.Errorf("%d attempts from one address: %d refused with 429, want exactly the last", api.LoginAttemptsPerAddr+1, got429)
	}
}

func TestAuthLogoutRevokes(t *testing.T) {
	f := newConsoleFixture(t)
	c := f.client()
	c.loginForm("coord", testPassword, "/console")
	c.refreshCSRF()
	// A copy of the cookie (another tab, or a thief) dies with the logout.
	thief := f.client()
	thief.setCookie("renke_session", c.cookie("renke_session"))
	if res, _ := thief.get("/api/v1/session"); res.StatusCode != http.StatusOK {
		t.Fatalf("copied cookie before logout: %d", res.StatusCode)
	}
	res, _ := c.form("/logout", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res, _ := thief.get("/api/v1/session"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("copied cookie after logout: %d, want 401", res.StatusCode)
	}
	if res, _ := c.get("/console"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("console after logout: %d, want a redirect to login", res.StatusCode)
	}
	// The API logout as well.
	a := f.login("eval")
	if res, _ := a.json("DELETE", "/api/v1/session", nil); res.StatusCode != http.StatusNoContent {
		t.Fatalf("API logout: %d", res.StatusCode)
	}
	if res, _ := a.get("/api/v1/counties"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("after API logout: %d", res.StatusCode)
	}
}

func TestAuthPasswordChangeRevokesOtherSessions(t *testing.T) {
	f := newConsoleFixture(t)
	a, b := f.login("coord"), f.login("coord")
	newPw := "a-brand-new-password"
	res, body := a.json("PUT", "/api/v1/account/password", map[string]string{"old": "not-the-password", "new": newPw})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong old password: %d %s", res.StatusCode, body)
	}
	res, body = a.json("PUT", "/api/v1/account/password", map[string]string{"old": testPassword, "new": newPw})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("change: %d %s", res.StatusCode, body)
	}
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	json.Unmarshal(body, &out)
	if out.CSRFToken == "" || out.CSRFToken == a.csrf {
		t.Errorf("the changed session must get a new CSRF token")
	}
	a.csrf = out.CSRFToken
	if res, _ := b.get("/api/v1/session"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the other session after a password change: %d, want 401", res.StatusCode)
	}
	if res, _ := a.get("/api/v1/session"); res.StatusCode != http.StatusOK {
		t.Errorf("the changing session continues: %d", res.StatusCode)
	}
	if res, _ := f.client().json("POST", "/api/v1/session", map[string]string{"name": "coord", "password": testPassword}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("old password after the change: %d", res.StatusCode)
	}
	if res, _ := f.client().json("POST", "/api/v1/session", map[string]string{"name": "coord", "password": newPw}); res.StatusCode != http.StatusOK {
		t.Errorf("new password: %d", res.StatusCode)
	}
	// Through the page: mismatched confirmation is refused.
	p := f.client()
	p.loginForm("eval", testPassword, "/console")
	p.refreshCSRF()
	res, body = p.form("/console/account/password", url.Values{"old": {testPassword}, "new": {"eval-new-password"}, "again": {"eval-other-password"}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "不一致") {
		t.Errorf("mismatched confirmation: %d", res.StatusCode)
	}
}

func TestAuthAdminResetAndDisableRevoke(t *testing.T) {
	f := newConsoleFixture(t)
	admin, victim := f.login("admin"), f.login("victim")
	id := f.users["victim"].ID
	res, body := admin.json("POST", "/api/v1/users/"+id+"/password", nil)
	var out struct {
		Password string `json:"password"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(body, &out) != nil || len(out.Password) < account.MinPasswordLen {
		t.Fatalf("reset: %d %s", res.StatusCode, body)
	}
	if res, _ := victim.get("/api/v1/session"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("session after an admin reset: %d", res.StatusCode)
	}
	again := f.client()
	if res, _ := again.json("POST", "/api/v1/session", map[string]string{"name": "victim", "password": out.Password}); res.StatusCode != http.StatusOK {
		t.Fatalf("login with the reset password: %d", res.StatusCode)
	}
	res, body = admin.json("PATCH", "/api/v1/users/"+id, map[string]bool{"disabled": true})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("disable: %d %s", res.StatusCode, body)
	}
	if res, _ := again.get("/api/v1/session"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("session of a disabled user: %d", res.StatusCode)
	}
	if res, _ := f.client().json("POST", "/api/v1/session", map[string]string{"name": "victim", "password": out.Password}); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a disabled user logs in: %d", res.StatusCode)
	}
	// An admin cannot lock themselves out.
	if res, _ := admin.json("PATCH", "/api/v1/users/"+f.users["admin"].ID, map[string]bool{"disabled": true}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("admin disabling themselves: %d, want 422", res.StatusCode)
	}
}
