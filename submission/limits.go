package submission

import (
	"context"
	"errors"
	"sync"
	"time"

	"renke/kv"
)

// redisBudget bounds the Redis calls of one submission before it falls back.
const redisBudget = 1500 * time.Millisecond

// allow takes one event from every budget in Redis; while Redis is
// unreachable it falls back to a per-process limiter (logged and reported
// through Deps.Fallback), so respondents are not turned away because the
// cache is down.
func (p *Protocol) allow(ctx context.Context, limits []kv.Limit) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, redisBudget)
	defer cancel()
	ok, retry, err := p.d.KV.AllowAll(ctx, limits)
	if errors.Is(ctx.Err(), context.Canceled) {
		return false, 0 // the client left: nothing to say about Redis
	}
	if err == nil {
		p.fallbackOff(ctx)
		return ok, retry
	}
	return p.allowLocally(limits, err)
}

// admit takes one event from every budget and, in the same round trip,
// asks Redis who holds the response's uniqueness key (holder "" when Redis
// knows of none, or is away: then the store decides). While Redis is
// unreachable the budgets fall back as in allow.
func (p *Protocol) admit(ctx context.Context, limits []kv.Limit, surveyID, once string) (ok bool, retry time.Duration, holder string) {
	actx, cancel := context.WithTimeout(ctx, redisBudget)
	defer cancel()
	a, err := p.d.KV.Admit(actx, limits, surveyID, once)
	if errors.Is(actx.Err(), context.Canceled) {
		return false, 0, "" // the client left: nothing to say about Redis
	}
	if err == nil {
		p.fallbackOff(actx)
		return a.Allowed, a.Retry, a.Holder
	}
	ok, retry = p.allowLocally(limits, err)
	return ok, retry, ""
}

// allowLocally counts limits in this process, Redis being unreachable.
func (p *Protocol) allowLocally(limits []kv.Limit, err error) (bool, time.Duration) {
	p.fallbackOn(err)
	now := p.d.Now()
	for _, l := range limits {
		if ok, retry := p.local.allow(l.Key, l.PerMinute, now); !ok {
			return false, retry
		}
	}
	return true, 0
}

func (p *Protocol) fallbackOn(err error) {
	if p.local.setActive(true) {
		p.d.Log.Warn("redis unreachable: rate limits fall back to this process", "error", err)
		p.d.Fallback(true)
	}
}

// recoveryBudget bounds handing the quotas back to Redis after an outage.
const recoveryBudget = 10 * time.Second

// fallbackOff hands the quotas counted in the store back to Redis once it
// answers again, before any submission of this process takes a place in it.
func (p *Protocol) fallbackOff(ctx context.Context) {
	if !p.local.Active() {
		// Wait for a hand-back under way: until it is done, Redis's
		// counters may lag the places taken in the store.
		p.recovery.RLock()
		defer p.recovery.RUnlock()
		return
	}
	p.recovery.Lock()
	defer p.recovery.Unlock()
	if !p.local.setActive(false) {
		return // another submission handed the quotas back
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recoveryBudget)
	defer cancel()
	p.d.Log.Info("redis reachable again: rate limits back on redis")
	p.d.Fallback(false)
	// Quotas counted in the store meanwhile left Redis's counters behind (a
	// Redis that kept its data) or without them (one that lost it): raise
	// each kept counter to the highest place taken in the store by any
	// replica (this process's own tally may end well below it); one that is
	// gone is loaded from the store by the next submission. Raised, not
	// dropped: a counter dropped would lose the places other replicas are
	// taking in it meanwhile, and a reload would miss those not yet stored.
	for _, fc := range p.local.takeFallbackCodes() {
		mu := p.quotaLocks.get(fc.code)
		mu.Lock()
		places := fc.places
		if top, err := p.d.Store.HighestQuotaSlot(ctx, fc.code); err != nil {
			p.d.Log.Warn("could not read the quota places taken during the Redis outage", "error", err)
		} else {
			places = max(places, top)
		}
		if err := p.d.KV.RaiseQuota(ctx, fc.survey, fc.code, places); err != nil {
			p.d.Log.Warn("could not reset a quota counter after the Redis outage", "error", err)
		}
		mu.Unlock()
	}
}

// fallbackCode is a code whose quota was counted in the store, with the
// places known taken.
type fallbackCode struct {
	survey, code string
	places       int64
}

// localLimiter is a fixed-window per-minute counter per key.
type localLimiter struct {
	mu     sync.Mutex
	active bool
	window time.Time
	counts map[string]int
	// fallbackCodes tally the responses of codes whose quota was counted in
	// the store while Redis was away, by code (with its survey).
	fallbackCodes map[string]int64
	surveys       map[string]string
}

// fallbackCount is a code's tally, if it has one.
func (l *localLimiter) fallbackCount(code string) (int64, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n, ok := l.fallbackCodes[code]
	return n, ok
}

func (l *localLimiter) setFallbackCount(surveyID, code string, n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fallbackCodes == nil {
		l.fallbackCodes, l.surveys = map[string]int64{}, map[string]string{}
	}
	l.fallbackCodes[code] = n
	l.surveys[code] = surveyID
}

func (l *localLimiter) dropFallbackCount(code string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fallbackCodes, code)
	delete(l.surveys, code)
}

// takeFallbackCodes ends the tallies and returns their codes.
func (l *localLimiter) takeFallbackCodes() []fallbackCode {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]fallbackCode, 0, len(l.fallbackCodes))
	for c := range l.fallbackCodes {
		out = append(out, fallbackCode{survey: l.surveys[c], code: c, places: l.fallbackCodes[c]})
	}
	l.fallbackCodes, l.surveys = nil, nil
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
