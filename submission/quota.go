package submission

import (
	"context"
	"errors"
	"sync"
	"time"

	"renke/kv"
	"renke/store"
	"renke/survey"
)

// takeQuota takes a place of a shared code's quota. Redis holds the counter;
// it is loaded from the store when Redis does not hold it (a new code, or an
// empty Redis after a restart), and while Redis is unreachable the quota is
// counted in the store instead. A per-code lock keeps the two ways apart in
// this process: submissions counted by Redis share it, a count taken from the
// store holds it alone, so no count misses a response still being written.
// done must be called with whether the response was stored.
func (p *Protocol) takeQuota(ctx context.Context, sv *survey.Survey, code *survey.Code) (done func(stored bool), out Outcome) {
	if p.local.Active() {
		// Redis failed this process's last budget check: its counters are
		// not handed back yet (fallbackOff), so a counter it still holds
		// may lag the places taken in the store.
		return p.quotaFromStore(ctx, sv, code)
	}
	mu := p.quotaLocks.get(code.Code)
	for attempt := 0; attempt < 3; attempt++ {
		mu.RLock()
		err := p.d.KV.TakeQuota(ctx, sv.ID, code.Code, code.Quota)
		switch {
		case err == nil:
			return func(stored bool) {
				if stored {
					// A tally kept during an earlier Redis outage no longer counts this one.
					p.local.dropFallbackCount(code.Code)
				}
				if !stored {
					if err := p.d.KV.ReleaseQuota(context.WithoutCancel(ctx), sv.ID, code.Code); err != nil {
						p.d.Log.Warn("could not give back a quota place", "survey", code.SurveyID, "error", err)
					}
				}
				p.quotaLocks.settle(code.Code)
				mu.RUnlock()
			}, Outcome{}
		case errors.Is(err, survey.ErrQuotaFull):
			mu.RUnlock()
			return nil, p.full(sv, code)
		case errors.Is(err, kv.ErrNotLoaded):
			mu.RUnlock()
			mu.Lock()
			// Any pass that began after this code's last submission in
			// this process was settled sees every response of it stored here.
			n, err := p.d.Store.CountOfCode(ctx, code.SurveyID, code.Code, p.quotaLocks.lastSettled(code.Code))
			if err == nil {
				err = p.d.KV.LoadQuota(ctx, sv.ID, code.Code, n, until(sv, p.d.Now()))
			}
			mu.Unlock()
			// Redis went away while loading (the store answered): count in the store.
			if errors.Is(err, kv.ErrUnavailable) {
				p.fallbackOn(err)
				return p.quotaFromStore(ctx, sv, code)
			}
			if err != nil {
				return nil, p.unavailable(ctx, err)
			}
		default:
			mu.RUnlock()
			p.fallbackOn(err)
			return p.quotaFromStore(ctx, sv, code)
		}
	}
	return nil, p.unavailable(ctx, errors.New("quota counter could not be loaded"))
}

// quotaFromStore enforces a quota while Redis is away: it counts the code's
// stored responses once, keeps a tally in this process, and takes each place
// in the store (ReserveQuotaSlot), so replicas that each count on their own
// still cannot take the same place twice. It holds the code's lock alone
// until each response is stored or refused.
func (p *Protocol) quotaFromStore(ctx context.Context, sv *survey.Survey, code *survey.Code) (func(bool), Outcome) {
	mu := p.quotaLocks.get(code.Code)
	mu.Lock()
	n, ok := p.local.fallbackCount(code.Code)
	if !ok {
		var err error
		if n, err = p.d.Store.CountOfCode(ctx, code.SurveyID, code.Code, p.quotaLocks.lastSettled(code.Code)); err != nil {
			mu.Unlock()
			return nil, p.unavailable(ctx, err)
		}
		p.local.setFallbackCount(sv.ID, code.Code, n)
	}
	place, err := p.d.Store.ReserveQuotaSlot(ctx, code.Code, n, code.Quota)
	if errors.Is(err, survey.ErrQuotaFull) {
		mu.Unlock()
		return nil, p.full(sv, code)
	}
	if err != nil {
		mu.Unlock()
		return nil, p.unavailable(ctx, err)
	}
	return func(stored bool) {
		bg := context.WithoutCancel(ctx)
		if stored {
			p.local.setFallbackCount(sv.ID, code.Code, place)
			// Should Redis be back already, its counter now lags the store:
			// raise it (best effort) to this place.
			_ = p.d.KV.RaiseQuota(bg, sv.ID, code.Code, place)
		} else if err := p.d.Store.ReleaseQuotaSlot(bg, code.Code, place); err != nil {
			p.d.Log.Warn("could not give back a quota place taken during the Redis outage", "survey", code.SurveyID, "error", err)
		}
		p.quotaLocks.settle(code.Code)
		mu.Unlock()
	}, Outcome{}
}

// keyedMutex hands out one read-write mutex per key, and remembers when each
// key's last submission holding it was settled.
type keyedMutex struct {
	mu      sync.Mutex
	m       map[string]*sync.RWMutex
	settled map[string]time.Time
}

// settle records that a submission holding key's lock is settled (stored or
// given up); call it before the unlock.
func (k *keyedMutex) settle(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.settled == nil {
		k.settled = map[string]time.Time{}
	}
	k.settled[key] = time.Now()
}

// lastSettled is when key's last submission was settled (zero: never).
func (k *keyedMutex) lastSettled(key string) time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.settled[key]
}

func (k *keyedMutex) get(key string) *sync.RWMutex {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.m == nil {
		k.m = map[string]*sync.RWMutex{}
	}
	if k.m[key] == nil {
		k.m[key] = &sync.RWMutex{}
	}
	return k.m[key]
}

var _ Store = (*store.Store)(nil)
var _ KV = (*kv.Client)(nil)
