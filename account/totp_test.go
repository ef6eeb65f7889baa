package account

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestCheckTOTPAgainstRFC6238 uses the SHA-1 vectors of RFC 6238 appendix B
// (their last six digits) with the RFC's key "12345678901234567890".
func TestCheckTOTPAgainstRFC6238(t *testing.T) {
	const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	for unix, code := range map[int64]string{59: "287082", 1111111109: "081804", 1234567890: "005924", 2000000000: "279037"} {
		at := time.Unix(unix, 0)
		step, err := CheckTOTP(secret, code, at)
		if err != nil || step != unix/30 {
			t.Errorf("t=%d code %s: step %d, %v", unix, code, step, err)
		}
		// One step of drift either way is accepted, two are not.
		if _, err := CheckTOTP(secret, code, at.Add(30*time.Second)); err != nil {
			t.Errorf("t=%d: a code from the step before was refused", unix)
		}
		if _, err := CheckTOTP(secret, code, at.Add(90*time.Second)); !errors.Is(err, ErrBadTOTP) {
			t.Errorf("t=%d: a code three steps old was accepted", unix)
		}
	}
	for _, bad := range []string{"", "28708", "2870820", "abcdef", "287083"} {
		if _, err := CheckTOTP(secret, bad, time.Unix(59, 0)); !errors.Is(err, ErrBadTOTP) {
			t.Errorf("code %q: %v", bad, err)
		}
	}
}

func TestNewTOTPSecret(t *testing.T) {
	secret, url, err := NewTOTPSecret("wang")
	if err != nil || len(secret) < 32 || !strings.HasPrefix(url, "otpauth://totp/") || !strings.Contains(url, "secret="+secret) {
		t.Fatalf("secret %q url %q: %v", secret, url, err)
	}
	if (&User{}).TwoFactor() || !(&User{TOTPSecret: secret}).TwoFactor() {
		t.Error("TwoFactor does not follow the secret")
	}
}

func TestSealTOTP(t *testing.T) {
	key := []byte("server-secret-0123456789")
	secret, _, err := NewTOTPSecret("wang")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := SealTOTP(key, "u1", secret)
	if err != nil || !strings.HasPrefix(sealed, "v1:") || strings.Contains(sealed, secret) {
		t.Fatalf("sealed %q: %v", sealed, err)
	}
	if again, _ := SealTOTP(key, "u1", secret); again == sealed {
		t.Error("two seals of one key are equal: the nonce is not fresh")
	}
	if got, err := OpenTOTP(key, "u1", sealed); err != nil || got != secret {
		t.Fatalf("open: %q %v", got, err)
	}
	for name, try := range map[string]func() (string, error){
		"another server secret": func() (string, error) { return OpenTOTP([]byte("another-secret-0123456789"), "u1", sealed) },
		"another user":          func() (string, error) { return OpenTOTP(key, "u2", sealed) },
		"a key in the clear":    func() (string, error) { return OpenTOTP(key, "u1", secret) },
		"a damaged seal":        func() (string, error) { return OpenTOTP(key, "u1", sealed[:10]) },
	} {
		if got, err := try(); err == nil || got != "" {
			t.Errorf("%s opened: %q", name, got)
		}
	}
}
