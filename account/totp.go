package account

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Errors of the second factor, worded for the login and account pages.
var (
	ErrTOTPRequired = errors.New("该账号已启用两步验证，请填写验证器中的 6 位数字")
	ErrBadTOTP      = errors.New("两步验证码不正确或已用过，请等验证器显示新的数字后再试")
)

// totpIssuer names the system in authenticator apps.
const totpIssuer = "renke 认可度调查"

// totpPeriod is the length of one time step.
const totpPeriod = 30 * time.Second

// TwoFactor reports whether the user logs in with a one-time code too.
func (u *User) TwoFactor() bool { return u != nil && u.TOTPSecret != "" }

// NewTOTPSecret makes a fresh authenticator key for the user named name: the
// base32 secret and the otpauth:// URL an app scans from a QR code.
func NewTOTPSecret(name string) (secret, url string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: name})
	if err != nil {
		return "", "", fmt.Errorf("generate authenticator key: %w", err)
	}
	return key.Secret(), key.URL(), nil
}

// CheckTOTP checks a 6-digit code against secret at now, accepting the time
// step before and after for clock drift. It returns the step the code
// belongs to, for the caller to refuse a second use of it.
func CheckTOTP(secret, code string, now time.Time) (step int64, err error) {
	if len(code) != 6 {
		return 0, ErrBadTOTP
	}
	opts := totp.ValidateOpts{Period: uint(totpPeriod / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	for _, d := range []time.Duration{0, -totpPeriod, totpPeriod} {
		t := now.Add(d)
		want, err := totp.GenerateCodeCustom(secret, t, opts)
		if err != nil {
			return 0, fmt.Errorf("check authenticator code: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return t.Unix() / int64(totpPeriod/time.Second), nil
		}
	}
	return 0, ErrBadTOTP
}
