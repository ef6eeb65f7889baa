package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"renke/account"
)

// loginFrom posts a JSON login as a client at addr.
func (f *consoleFixture) loginFrom(addr, name, password string) *httptest.ResponseRecorder {
	b, _ := json.Marshal(map[string]string{"name": name, "password": password})
	req := httptest.NewRequest(http.MethodPost, "/api/v1/session", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr + ":40000"
	w := httptest.NewRecorder()
	f.srv.Handler().ServeHTTP(w, req)
	return w
}

// TestLoginSlowsAddressNotAccount: wrong passwords from one address slow
// that address down for the account; the owner logs in from another
// address at once, and the admin sees the failed attempts.
func TestLoginSlowsAddressNotAccount(t *testing.T) {
	f := newConsoleFixture(t)
	const attacker, owner = "198.51.100.7", "203.0.113.20"
	for i := 0; i < account.PairFreeFailures; i++ {
		if w := f.loginFrom(attacker, "admin", "wrong-"+strconv.Itoa(i)); w.Code != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d %s", i+1, w.Code, w.Body.String())
		}
	}
	w := f.loginFrom(attacker, "admin", testPassword)
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "其他地址不受影响") {
		t.Fatalf("attacker's address after %d failures: %d %s", account.PairFreeFailures, w.Code, w.Body.String())
	}
	if secs, _ := strconv.Atoi(w.Header().Get("Retry-After")); secs < 1 || secs > int(account.PairFirstDelay.Seconds()) {
		t.Errorf("Retry-After %q, want 1..%v", w.Header().Get("Retry-After"), account.PairFirstDelay)
	}
	if w := f.loginFrom(owner, "admin", testPassword); w.Code != http.StatusOK {
		t.Fatalf("the owner at another address is locked out: %d %s", w.Code, w.Body.String())
	}
	// The admin's users page shows the failed attempts.
	_, page := f.login("admin").get("/console/users")
	if !strings.Contains(string(page), "近 1 小时登录失败 "+strconv.Itoa(account.PairFreeFailures)+" 次") {
		t.Errorf("users page does not show the failed logins")
	}
}
