package account

import "time"

// Login throttling slows guessing down instead of locking an account: the
// failures of one account from one address delay that address's next try,
// more with each failure, while the owner at another address logs in as
// usual. Failures from many addresses together slow the account a little
// everywhere, never for more than AccountMaxDelay.
const (
	// PairFreeFailures is how many failures of an account from one address
	// pass without delay.
	PairFreeFailures = 5
	// PairFirstDelay is the delay after PairFreeFailures; it doubles with
	// each further failure up to PairMaxDelay.
	PairFirstDelay = 30 * time.Second
	// PairMaxDelay bounds the delay of one address for one account.
	PairMaxDelay = 15 * time.Minute
	// AccountFreeFailures is how many failures of an account from all
	// addresses together pass without an account-wide delay.
	AccountFreeFailures = 50
	// AccountMaxDelay bounds the account-wide delay.
	AccountMaxDelay = 30 * time.Second
	// FailureWindow is how long failures are remembered after the last one.
	FailureWindow = time.Hour
)

// LoginFailures are the recent failed logins of an account: from the
// address at hand and from all addresses, each with the time of its last one.
type LoginFailures struct {
	Pair, Account         int64
	PairLast, AccountLast time.Time
}

// LoginDelay is how long after the last failure a further login to the
// account from the address must wait; 0 when it may go ahead now.
func LoginDelay(f LoginFailures, now time.Time) time.Duration {
	wait := backoff(f.Pair-PairFreeFailures, PairFirstDelay, PairMaxDelay) - now.Sub(f.PairLast)
	if f.Account >= AccountFreeFailures {
		acc := backoff(f.Account-AccountFreeFailures, time.Second, AccountMaxDelay) - now.Sub(f.AccountLast)
		wait = max(wait, acc)
	}
	return max(wait, 0)
}

// backoff is first×2^k capped at most, or 0 for k < 0.
func backoff(k int64, first, most time.Duration) time.Duration {
	if k < 0 {
		return 0
	}
	d := first
	for ; k > 0 && d < most; k-- {
		d *= 2
	}
	return min(d, most)
}
