package account

import (
	"testing"
	"time"
)

func TestLoginDelay(t *testing.T) {
	now := time.Date(2026, 12, 4, 9, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		f    LoginFailures
		want time.Duration
	}{
		{"no failures", LoginFailures{}, 0},
		{"free failures", LoginFailures{Pair: PairFreeFailures - 1, PairLast: now, Account: PairFreeFailures - 1, AccountLast: now}, 0},
		{"first delay", LoginFailures{Pair: PairFreeFailures, PairLast: now, Account: PairFreeFailures, AccountLast: now}, PairFirstDelay},
		{"first delay half gone", LoginFailures{Pair: PairFreeFailures, PairLast: now.Add(-10 * time.Second)}, PairFirstDelay - 10*time.Second},
		{"doubling", LoginFailures{Pair: PairFreeFailures + 2, PairLast: now}, 4 * PairFirstDelay},
		{"capped", LoginFailures{Pair: PairFreeFailures + 40, PairLast: now}, PairMaxDelay},
		{"over", LoginFailures{Pair: PairFreeFailures, PairLast: now.Add(-time.Hour)}, 0},
		// Another address: only the account-wide delay, which stays short.
		{"account-wide", LoginFailures{Account: AccountFreeFailures + 100, AccountLast: now}, AccountMaxDelay},
		{"account below its bound", LoginFailures{Account: AccountFreeFailures - 1, AccountLast: now}, 0},
	}
	for _, c := range cases {
		if got := LoginDelay(c.f, now); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
