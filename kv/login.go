package kv

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"renke/account"
	"renke/survey"
)

// ErrSlowDown refuses a login attempt that came before its delay ended
// (account.LoginDelay); LoginWait tells how long is left.
var ErrSlowDown = errors.New("登录尝试过于频繁，请稍后再试")

func (c *Client) loginPairKey(name, addr string) string {
	return c.ns + "lfail:" + name + ":" + addr
}
func (c *Client) loginAccountKey(name string) string { return c.ns + "lfail:" + name }

// LoginFailures reads the recent failed logins of account name from the
// address addr (a keyed hash) and from all addresses.
func (c *Client) LoginFailures(ctx context.Context, name, addr string) (account.LoginFailures, error) {
	var pair, acc *redis.SliceCmd
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		pair = p.HMGet(ctx, c.loginPairKey(name, addr), "n", "last")
		acc = p.HMGet(ctx, c.loginAccountKey(name), "n", "last")
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return account.LoginFailures{}, fmt.Errorf("%w: read login failures: %v", survey.ErrUnavailable, err)
	}
	var f account.LoginFailures
	f.Pair, f.PairLast = counted(pair.Val())
	f.Account, f.AccountLast = counted(acc.Val())
	return f, nil
}

// counted parses the fields n and last (Unix milliseconds) of a failure hash.
func counted(v []any) (int64, time.Time) {
	if len(v) != 2 {
		return 0, time.Time{}
	}
	s1, _ := v[0].(string)
	s2, _ := v[1].(string)
	n, _ := strconv.ParseInt(s1, 10, 64)
	ms, _ := strconv.ParseInt(s2, 10, 64)
	return n, time.UnixMilli(ms)
}

// LoginGate is the one call a login makes before checking a password: it
// returns ErrSlowDown (and the time left) while the account is slowed for
// this address, and otherwise the failures so far (for the audit note).
func (c *Client) LoginGate(ctx context.Context, name, addr string, now time.Time) (account.LoginFailures, time.Duration, error) {
	f, err := c.LoginFailures(ctx, name, addr)
	if err != nil {
		return f, 0, err
	}
	if wait := account.LoginDelay(f, now); wait > 0 {
		return f, wait, ErrSlowDown
	}
	return f, 0, nil
}

// LoginFailed counts a failed login of account name from addr, for the
// address and for the account; failures are forgotten account.FailureWindow
// after the last.
func (c *Client) LoginFailed(ctx context.Context, name, addr string, now time.Time) error {
	_, err := c.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range []string{c.loginPairKey(name, addr), c.loginAccountKey(name)} {
			p.HIncrBy(ctx, k, "n", 1)
			p.HSet(ctx, k, "last", now.UnixMilli())
			p.PExpire(ctx, k, account.FailureWindow)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%w: count login failure: %v", survey.ErrUnavailable, err)
	}
	return nil
}

// LoginSucceeded forgets the failures of account name from addr; those from
// other addresses stay until they expire.
func (c *Client) LoginSucceeded(ctx context.Context, name, addr string) error {
	if err := c.rdb.Del(ctx, c.loginPairKey(name, addr)).Err(); err != nil {
		return fmt.Errorf("%w: clear login failures: %v", survey.ErrUnavailable, err)
	}
	return nil
}

// AccountFailures returns, for each name, the failed logins counted against
// the account from all addresses in the current window (the admin's view).
func (c *Client) AccountFailures(ctx context.Context, names []string) (map[string]account.LoginFailures, error) {
	cmds := make([]*redis.SliceCmd, len(names))
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, n := range names {
			cmds[i] = p.HMGet(ctx, c.loginAccountKey(n), "n", "last")
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("%w: read login failures: %v", survey.ErrUnavailable, err)
	}
	out := make(map[string]account.LoginFailures, len(names))
	for i, n := range names {
		var f account.LoginFailures
		if f.Account, f.AccountLast = counted(cmds[i].Val()); f.Account > 0 {
			out[n] = f
		}
	}
	return out, nil
}
