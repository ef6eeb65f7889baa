package account

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// HashCost is the bcrypt cost of new password hashes. Tests may lower it.
var HashCost = 12

// MinPasswordLen is the shortest password accepted, in characters.
const MinPasswordLen = 10

// maxPasswordBytes is bcrypt's input limit: longer passwords would be cut silently.
const maxPasswordBytes = 72

// ErrBadPassword means a password did not match.
var ErrBadPassword = errors.New("用户名或密码错误")

// ValidatePassword checks a new password: at least MinPasswordLen characters,
// at most 72 bytes, not one character repeated and not containing the user name.
func ValidatePassword(pw, name string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return fmt.Errorf("密码至少 %d 个字符，现在是 %d 个", MinPasswordLen, n)
	case len(pw) > maxPasswordBytes:
		return fmt.Errorf("密码太长：最多 %d 字节（约 24 个汉字或 72 个英文字符）", maxPasswordBytes)
	case strings.Count(pw, string([]rune(pw)[:1])) == n:
		return errors.New("密码不能是同一个字符的重复")
	case name != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(name)):
		return errors.New("密码不能包含用户名")
	}
	return nil
}

// HashPassword hashes a password with bcrypt at HashCost.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), HashCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// dummy is hashed at HashCost and compared against when a login names no
// known user, so an unknown name costs as much time as a wrong password.
var dummy struct {
	sync.Mutex
	cost int
	hash []byte
}

func dummyHash() []byte {
	dummy.Lock()
	defer dummy.Unlock()
	if dummy.hash == nil || dummy.cost != HashCost {
		h, err := bcrypt.GenerateFromPassword([]byte("renke: no such user"), HashCost)
		if err != nil {
			panic("bcrypt: " + err.Error())
		}
		dummy.hash, dummy.cost = h, HashCost
	}
	return dummy.hash
}

// CheckPassword returns ErrBadPassword unless pw matches the user's hash and
// the user is enabled. A nil user fails after the same amount of work.
func CheckPassword(u *User, pw string) error {
	if u == nil || u.PasswordHash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(pw))
		return ErrBadPassword
	}
	if err := bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(pw)); err != nil || u.Disabled {
		return ErrBadPassword
	}
	return nil
}

// passwordAlphabet leaves out look-alike characters (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random 16-character password (about 93 bits).
func GeneratePassword() string {
	out := make([]byte, 16)
	buf := make([]byte, 1)
	for i := 0; i < len(out); {
		if _, err := rand.Read(buf); err != nil {
			panic("crypto/rand failed: " + err.Error())
		}
		// Rejection sampling keeps every character equally likely.
		if int(buf[0]) >= 256-256%len(passwordAlphabet) {
			continue
		}
		out[i] = passwordAlphabet[int(buf[0])%len(passwordAlphabet)]
		i++
	}
	return string(out)
}
