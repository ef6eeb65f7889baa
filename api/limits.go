package api

import (
	"context"
	"errors"
	"sync"
	"time"

	"renke/survey"
)

// redisBudget bounds the Redis calls of one submission before it falls back.
const redisBudget = 1500 * time.Millisecond

// limitRule is one submission rate limit.
type limitRule struct {
	key       string
	perMinute int
}

// allow checks every rule against Redis; while Redis is unreachable it falls
// back to a per-process limiter (logged and exported as a metric), so
// respondents are not turned away because the cache is down.
func (s *Server) allow(ctx context.Context, rules []limitRule) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, redisBudget)
	defer cancel()
	for _, r := range rules {
		ok, retry, err := s.kv.Allow(ctx, r.key, r.perMinute)
		if errors.Is(ctx.Err(), context.Canceled) {
			return false, 0 // the client left: nothing to say about Redis
		}
		if errors.Is(err, survey.ErrUnavailable) {
			s.fallbackOn(err)
			ok, retry = s.local.allow(r.key, r.perMinute, s.now())
		} else if err == nil {
			s.fallbackOff(ctx)
		}
		if !ok {
			return false, retry
		}
	}
	return true, 0
}

func (s *Server) fallbackOn(err error) {
	if s.local.setActive(true) {
		s.log.Warn("redis unreachable: rate limits fall back to this process", "error", err)
		s.metrics.Fallback.Set(1)
	}
}

func (s *Server) fallbackOff(ctx context.Context) {
	if !s.local.setActive(false) {
		return
	}
	s.log.Info("redis reachable again: rate limits back on redis")
	s.metrics.Fallback.Set(0)
	// Quotas counted in the store meanwhile left Redis's counters behind
	// (a Redis that kept its data) or without them (one that lost it): drop
	// them so the next submission reloads each from the store.
	for _, code := range s.local.takeFallbackCodes() {
		mu := s.quotaLocks.get(code)
		mu.Lock()
		if err := s.kv.ForgetQuota(ctx, code); err != nil {
			s.log.Warn("could not reset a quota counter after the Redis outage", "error", err)
		}
		mu.Unlock()
	}
}

// localLimiter is a fixed-window per-minute counter per key.
type localLimiter struct {
	mu     sync.Mutex
	active bool
	window time.Time
	counts map[string]int
	// fallbackCodes tally the responses of codes whose quota was counted in
	// the store while Redis was away.
	fallbackCodes map[string]int64
}

// fallbackCount is a code's tally, if it has one.
func (l *localLimiter) fallbackCount(code string) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, ok := l.fallbackCodes[code]
	return n, ok
}

func (l *localLimiter) setFallbackCount(code string, n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fallbackCodes == nil {
		l.fallbackCodes = map[string]int64{}
	}
	l.fallbackCodes[code] = n
}

func (l *localLimiter) dropFallbackCount(code string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fallbackCodes, code)
}

// takeFallbackCodes ends the tallies and returns their codes.
func (l *localLimiter) takeFallbackCodes() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(l.fallbackCodes))
	for c := range l.fallbackCodes {
		out = append(out, c)
	}
	l.fallbackCodes = nil
	return out
}

// setActive records whether the fallback is in use and reports a change.
func (l *localLimiter) setActive(on bool) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	changed := l.active != on
	l.active = on
	return changed
}

// Active reports whether the fallback is in use.
func (l *localLimiter) Active() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.active
}

func (l *localLimiter) allow(key string, perMinute int, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := now.Truncate(time.Minute)
	if !w.Equal(l.window) || l.counts == nil {
		l.window, l.counts = w, map[string]int{}
	}
	if l.counts[key] >= perMinute {
		return false, w.Add(time.Minute).Sub(now)
	}
	l.counts[key]++
	return true, 0
}
