package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/account"
	"renke/store"
)

var offerFields = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<[\s\S]*name="expires" value="(\d+)"[\s\S]*name="mac" value="([^"]+)"`)

// codeAt is the authenticator's code for secret at now+d.
func codeAt(t *testing.T, secret string, d time.Duration) string {
	t.Helper()
	code, err := totp.GenerateCode(secret, time.Now().Add(d))
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// wrongCode is a code valid in none of the steps around now.
func wrongCode(t *testing.T, secret string) string {
	t.Helper()
	valid := map[string]bool{}
	for _, d := range []time.Duration{-time.Minute, -30 * time.Second, 0, 30 * time.Second, time.Minute} {
		valid[codeAt(t, secret, d)] = true
	}
	for n := 0; ; n++ {
		if c := fmt.Sprintf("%06d", n); !valid[c] {
			return c
		}
	}
}

func TestAuthSecondFactor(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	coord, elsewhere := f.login("coord"), f.login("coord")
	if _, body := coord.get("/console/account"); !strings.Contains(string(body), `id="totp-new-form"`) {
		t.Fatal("account page offers no second factor")
	}

	// Turning it on: a key to scan, then a code from the app.
	res, body := coord.form("/console/account/totp/new", nil)
	m := offerFields.FindSubmatch(body)
	if res.StatusCode != http.StatusOK || m == nil || !strings.Contains(string(body), `src="data:image/png;base64,`) {
		t.Fatalf("offer: %d, fields found %v", res.StatusCode, m != nil)
	}
	secret, exp, mac := string(m[1]), string(m[2]), string(m[3])
	confirm := func(secret, code string) (*http.Response, []byte) {
		return coord.form("/console/account/totp", url.Values{"secret": {secret}, "expires": {exp}, "mac": {mac}, "code": {code}})
	}
	if res, body := confirm(secret, wrongCode(t, secret)); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "验证码不正确") {
		t.Errorf("a wrong code enabled it: %d", res.StatusCode)
	}
	other, _, _ := account.NewTOTPSecret("coord")
	if res, body := confirm(other, codeAt(t, other, 0)); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "已过期") {
		t.Errorf("a key the server did not offer was accepted: %d", res.StatusCode)
	}
	if u, _ := f.store.UserByName(ctx, "coord"); u.TwoFactor() {
		t.Fatal("refused confirmations turned the second factor on")
	}
	// (The code of the step before now: codes only move forward, and the
	// logins below use the current step and the next.)
	if res, _ := confirm(secret, codeAt(t, secret, -30*time.Second)); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/account?ok=totp-on" {
		t.Fatalf("confirm: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	stored, _ := f.store.UserByName(ctx, "coord")
	if !stored.TwoFactor() || strings.Contains(stored.TOTPSecret, secret) {
		t.Fatal("the confirmed key was not stored, or stored in the clear")
	}
	if got, err := account.OpenTOTP(testConfig().Secret, stored.ID, stored.TOTPSecret); err != nil || got != secret {
		t.Fatalf("the stored key does not open to the confirmed one: %v", err)
	}
	// As after a password change, other sessions end; this one goes on anew.
	if res, _ := elsewhere.get("/api/v1/session"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("another session of the user survived turning the factor on: %d", res.StatusCode)
	}
	coord.refreshCSRF()
	entries, _ := f.store.Audit(ctx, store.AuditFilter{Actor: "coord"}, 0)
	if len(entries) == 0 || entries[0].Action != account.ActUserTwoFactor || entries[0].After != `{"two_factor":true}` ||
		strings.Contains(entries[0].Before+entries[0].After+entries[0].Note, secret) {
		t.Errorf("audit entry %+v", entries[0])
	}

	// Logging in now takes a code, once.
	login := func(code string) (*http.Response, []byte) {
		return f.client().json("POST", "/api/v1/session", map[string]string{"name": "coord", "password": testPassword, "code": code})
	}
	if res, body := login(""); res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "已启用两步验证") {
		t.Errorf("login without a code: %d %s", res.StatusCode, body)
	}
	if res, body := login(wrongCode(t, secret)); res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "两步验证码不正确") {
		t.Errorf("login with a wrong code: %d %s", res.StatusCode, body)
	}
	now := codeAt(t, secret, 0)
	if res, body := login(now); res.StatusCode != http.StatusOK {
		t.Fatalf("login with the code: %d %s", res.StatusCode, body)
	}
	if res, _ := login(now); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the same code served a second login: %d", res.StatusCode)
	}
	// Once the current step's code was used, the previous step's code (still
	// inside the clock-drift window) is refused too; the mark is in the store.
	if res, body := login(codeAt(t, secret, -30*time.Second)); res.StatusCode != http.StatusUnauthorized || !strings.Contains(string(body), "两步验证码不正确") {
		t.Errorf("the previous step's code served a login after the current one: %d %s", res.StatusCode, body)
	}
	if fresh, err := f.store.UseTOTPStep(ctx, stored.ID, time.Now().Unix()/30-1, time.Now()); err != nil || fresh {
		t.Errorf("the store holds no mark of the used step: fresh %v, %v", fresh, err)
	}
	// The login form has the field too.
	c := f.client()
	_, page := c.get("/login")
	csrf := csrfField.FindSubmatch(page)
	if csrf == nil || !strings.Contains(string(page), `name="code"`) {
		t.Fatal("login page has no code field")
	}
	res, _ = c.do("POST", "/login", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"csrf": {string(csrf[1])},
		"name": {"coord"}, "password": {testPassword}, "code": {codeAt(t, secret, 30*time.Second)}, "next": {"/console"}}.Encode()), nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("form login with a code: %d", res.StatusCode)
	}
	// Wrong codes count towards the account's lock like wrong passwords.
	for range 5 {
		login(wrongCode(t, secret))
	}
	if res, _ := login(codeAt(t, secret, -30*time.Second)); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after wrong codes the account is not locked: %d", res.StatusCode)
	}
	if err := f.kv.ClearFailures(ctx, "login:coord"); err != nil {
		t.Fatal(err)
	}

	// Turning it off takes the password and a code. The steps around now are
	// used up; a minute later they would be behind the authenticator, which
	// the test does not wait for: it drops the user's mark instead.
	if _, err := f.store.Collection("totp_marks").DeleteOne(ctx, bson.M{"_id": stored.ID}); err != nil {
		t.Fatal(err)
	}
	if res, _ := coord.form("/console/account/totp/off", url.Values{"password": {"wrong-password"}, "code": {codeAt(t, secret, -30*time.Second)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("off with a wrong password: %d", res.StatusCode)
	}
	if res, _ := coord.form("/console/account/totp/off", url.Values{"password": {testPassword}, "code": {codeAt(t, secret, -30*time.Second)}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("off: %d", res.StatusCode)
	}
	if u, _ := f.store.UserByName(ctx, "coord"); u.TwoFactor() {
		t.Fatal("the second factor is still on")
	}

	// An admin's password reset turns it off too (a lost phone).
	u, _ := f.store.UserByName(ctx, "eval")
	prev := *u
	u.TOTPSecret, _ = account.SealTOTP(testConfig().Secret, u.ID, secret)
	if err := f.store.UpdateUser(ctx, u, prev); err != nil {
		t.Fatal(err)
	}
	admin := f.login("admin")
	_, list := admin.get("/api/v1/users")
	if strings.Contains(string(list), secret) || strings.Contains(string(list), u.TOTPSecret) || !strings.Contains(string(list), `"two_factor":true`) {
		t.Error("the users API shows the key, or not that the factor is on")
	}
	if res, _ := admin.form("/console/users/"+u.ID+"/password", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("admin reset: %d", res.StatusCode)
	}
	if u, _ := f.store.UserByName(ctx, "eval"); u.TwoFactor() {
		t.Error("an admin's password reset left the second factor on")
	}
}
