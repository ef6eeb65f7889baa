package account

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
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

// sealedPrefix marks a key sealed by SealTOTP (format version 1).
const sealedPrefix = "v1:"

// totpCipher is AES-256-GCM under a key derived from the server's secret.
func totpCipher(serverSecret []byte) (cipher.AEAD, error) {
	m := hmac.New(sha256.New, serverSecret)
	m.Write([]byte("renke totp key at rest"))
	block, err := aes.NewCipher(m.Sum(nil))
	if err != nil {
		return nil, fmt.Errorf("authenticator key cipher: %w", err)
	}
	return cipher.NewGCM(block)
}

// SealTOTP encrypts an authenticator key for storage under a key derived from
// the server's secret (RENKE_SECRET), bound to the user's id.
func SealTOTP(serverSecret []byte, userID, secret string) (string, error) {
	aead, err := totpCipher(serverSecret)
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal authenticator key: %w", err)
	}
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(aead.Seal(nonce, nonce, []byte(secret), []byte(userID))), nil
}

// OpenTOTP decrypts a key sealed by SealTOTP for the same user and secret.
func OpenTOTP(serverSecret []byte, userID, sealed string) (string, error) {
	raw, err := base64.RawStdEncoding.DecodeString(strings.TrimPrefix(sealed, sealedPrefix))
	if err != nil || !strings.HasPrefix(sealed, sealedPrefix) {
		return "", errors.New("stored authenticator key is not sealed: turn the second factor off and on again")
	}
	aead, err := totpCipher(serverSecret)
	if err != nil {
		return "", err
	}
	if len(raw) < aead.NonceSize() {
		return "", errors.New("stored authenticator key is damaged: turn the second factor off and on again")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(userID))
	if err != nil {
		return "", errors.New("stored authenticator key does not open with this server's secret (RENKE_SECRET changed?): an admin's password reset turns the second factor off")
	}
	return string(plain), nil
}
