package api

import (
	"context"
	"errors"
	"sync"
	"time"

	"renke/survey"
)

// limitRule is one submission rate limit.
type limitRule struct {
	key       string
	perMinute int
}

// allow checks every rule against Redis; while Redis is unreachable it falls
// back to a per-process limiter (logged and exported as a metric), so
// respondents are not turned away because the cache is down.
func (s *Server) allow(ctx context.Context, rules []limitRule) (bool, time.Duration) {
	for _, r := range rules {
		ok, retry, err := s.kv.Allow(ctx, r.key, r.perMinute)
		if errors.Is(err, survey.ErrUnavailable) {
			s.fallbackOn(err)
			ok, retry = s.local.allow(r.key, r.perMinute, s.now())
		} else if err == nil {
			s.fallbackOff()
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

func (s *Server) fallbackOff() {
	if s.local.setActive(false) {
		s.log.Info("redis reachable again: rate limits back on redis")
		s.metrics.Fallback.Set(0)
	}
}

// localLimiter is a fixed-window per-minute counter per key.
type localLimiter struct {
	mu     sync.Mutex
	active bool
	window time.Time
	counts map[string]int
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
