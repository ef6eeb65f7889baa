package kv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Session is a console login kept in Redis. The session token itself is never
// stored: its key is the SHA-256 of the token, so a copy of Redis does not
// hand out live sessions.
type Session struct {
	UserID  string
	CSRF    string // synchronizer token for state-changing requests
	Created time.Time
}

// ErrNoSession means the token names no live session (unknown, expired or revoked).
var ErrNoSession = errors.New("no such session")

func (c *Client) sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return c.ns + "sess:" + hex.EncodeToString(sum[:])
}

func (c *Client) userSessionsKey(userID string) string { return c.ns + "usess:" + userID }

func random32() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewSession starts a session for userID that lives ttl after its last use.
// It returns the token for the cookie (256 random bits) and the session.
func (c *Client) NewSession(ctx context.Context, userID string, ttl time.Duration) (string, *Session, error) {
	token := random32()
	s := &Session{UserID: userID, CSRF: random32(), Created: time.Now().UTC().Truncate(time.Millisecond)}
	key, ukey := c.sessionKey(token), c.userSessionsKey(userID)
	_, err := c.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, "user", s.UserID, "csrf", s.CSRF, "created", s.Created.UnixMilli())
		p.Expire(ctx, key, ttl)
		p.SAdd(ctx, ukey, key)
		// The user's index outlives every session in it: each use extends both.
		p.Expire(ctx, ukey, ttl)
		return nil
	})
	if err != nil {
		return "", nil, fmt.Errorf("%w: new session: %v", ErrUnavailable, err)
	}
	return token, s, nil
}

// Session returns the live session of token and extends it by ttl from now
// (a sliding expiry); ErrNoSession when there is none.
func (c *Client) Session(ctx context.Context, token string, ttl time.Duration) (*Session, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	key := c.sessionKey(token)
	m, err := c.rdb.HGetAll(ctx, key).Result()
	if err != nil {
		return nil, fmt.Errorf("%w: session: %v", ErrUnavailable, err)
	}
	if m["user"] == "" || m["csrf"] == "" {
		return nil, ErrNoSession
	}
	ms, _ := strconv.ParseInt(m["created"], 10, 64)
	s := &Session{UserID: m["user"], CSRF: m["csrf"], Created: time.UnixMilli(ms).UTC()}
	_, err = c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Expire(ctx, key, ttl) // a no-op when revoked meanwhile
		p.Expire(ctx, c.userSessionsKey(s.UserID), ttl)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: touch session: %v", ErrUnavailable, err)
	}
	return s, nil
}

// EndSession revokes one session (logout). Ending a session that does not
// exist is not an error.
func (c *Client) EndSession(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	key := c.sessionKey(token)
	user, err := c.rdb.HGet(ctx, key, "user").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return fmt.Errorf("%w: end session: %v", ErrUnavailable, err)
	}
	_, err = c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, key)
		if user != "" {
			p.SRem(ctx, c.userSessionsKey(user), key)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: end session: %v", ErrUnavailable, err)
	}
	return nil
}

// EndUserSessions revokes every session of a user (password change, account
// disabled) and returns how many were live.
func (c *Client) EndUserSessions(ctx context.Context, userID string) (int, error) {
	ukey := c.userSessionsKey(userID)
	keys, err := c.rdb.SMembers(ctx, ukey).Result()
	if err != nil {
		return 0, fmt.Errorf("%w: list sessions: %v", ErrUnavailable, err)
	}
	if len(keys) == 0 {
		return 0, nil
	}
	n, err := c.rdb.Del(ctx, keys...).Result()
	if err != nil {
		return 0, fmt.Errorf("%w: end sessions: %v", ErrUnavailable, err)
	}
	if err := c.rdb.SRem(ctx, ukey, toAny(keys)...).Err(); err != nil {
		return int(n), fmt.Errorf("%w: end sessions: %v", ErrUnavailable, err)
	}
	return int(n), nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// failScript counts one failure in a fixed window that starts at the first
// failure; it returns the count and the milliseconds left in the window.
var failScript = redis.NewScript(`
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
`)

func (c *Client) failKey(key string) string { return c.ns + "fail:" + key }

// AddFailure counts a failed attempt against key (say, a login name) in a
// window that starts at the first failure and lasts window. It returns the
// failures so far and the time left in the window.
func (c *Client) AddFailure(ctx context.Context, key string, window time.Duration) (int64, time.Duration, error) {
	res, err := failScript.Run(ctx, c.rdb, []string{c.failKey(key)}, window.Milliseconds()).Int64Slice()
	if err != nil || len(res) != 2 {
		return 0, 0, fmt.Errorf("%w: count failure: %v", ErrUnavailable, err)
	}
	return res[0], time.Duration(res[1]) * time.Millisecond, nil
}

// Failures returns the failures counted against key in its current window
// and the time left in it.
func (c *Client) Failures(ctx context.Context, key string) (int64, time.Duration, error) {
	var get *redis.StringCmd
	var ttl *redis.DurationCmd
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		get = p.Get(ctx, c.failKey(key))
		ttl = p.PTTL(ctx, c.failKey(key))
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, 0, fmt.Errorf("%w: read failures: %v", ErrUnavailable, err)
	}
	n, _ := get.Int64()
	return n, max(ttl.Val(), 0), nil
}

// ClearFailures forgets the failures counted against key (after a success).
func (c *Client) ClearFailures(ctx context.Context, key string) error {
	if err := c.rdb.Del(ctx, c.failKey(key)).Err(); err != nil {
		return fmt.Errorf("%w: clear failures: %v", ErrUnavailable, err)
	}
	return nil
}

// UseOnce records key as used for ttl and reports whether this was its first
// use (a one-time login code may serve one login only).
func (c *Client) UseOnce(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ok, err := c.rdb.SetNX(ctx, c.ns+"used:"+key, 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("%w: mark used: %v", ErrUnavailable, err)
	}
	return ok, nil
}
