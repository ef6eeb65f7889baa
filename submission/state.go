package submission

import (
	"context"
	"errors"

	"renke/kv"
	"renke/store"
	"renke/survey"
)

// State says whether code can be answered now on the device (its id, "" when
// the browser has none yet), before the respondent sees a question. Redis
// answers first; what it does not know (after a restart of the in-process
// Redis, or once its keys ended) the store does. It is a courtesy: Submit
// checks again, since the state can change while someone answers.
func (p *Protocol) State(ctx context.Context, sv *survey.Survey, code *survey.Code, device string) survey.CodeState {
	now := p.d.Now()
	f := survey.CodeFacts{Now: now, Survey: sv, Code: code, QuotaUsed: -1, Voided: code.Usable() != nil}
	if f.Voided || sv.AcceptsAt(now) != nil {
		return survey.StateOfCode(f)
	}
	if code.Kind == survey.OneTimeCode {
		f.Used = p.held(ctx, sv.ID, store.OnceKey(&survey.Response{CodeKind: code.Kind, Code: code.Code}))
		return survey.StateOfCode(f)
	}
	if device != "" {
		f.DeviceAnswered = p.held(ctx, sv.ID, store.OnceKey(&survey.Response{CodeKind: code.Kind, SurveyID: sv.ID, DeviceID: device}))
	}
	if code.Kind == survey.SharedCode && code.Quota > 0 {
		if n, ok := p.quotaUsed(ctx, sv, code); ok {
			f.QuotaUsed = int(n)
		}
	}
	return survey.StateOfCode(f)
}

// held asks Redis, then the store, whether a response holds key.
func (p *Protocol) held(ctx context.Context, surveyID, key string) bool {
	if holder, err := p.d.KV.OnceHolder(ctx, surveyID, key); err == nil && holder != "" {
		return true
	}
	ok, err := p.d.Store.OnceHeld(ctx, surveyID, key)
	return err == nil && ok
}

// quotaUsed is the code's count of places taken, loading Redis's counter
// from the store as a submission would when Redis has none.
func (p *Protocol) quotaUsed(ctx context.Context, sv *survey.Survey, code *survey.Code) (int64, bool) {
	n, err := p.d.KV.QuotaUsed(ctx, sv.ID, code.Code)
	if err == nil {
		return n, true
	}
	if !errors.Is(err, kv.ErrNotLoaded) {
		return 0, false // Redis away: the submission decides
	}
	mu := p.quotaLocks.get(code.Code)
	mu.Lock()
	defer mu.Unlock()
	n, err = p.d.Store.CountOfCode(ctx, sv.ID, code.Code, p.quotaLocks.lastSettled(code.Code))
	if err != nil {
		return 0, false
	}
	if err := p.d.KV.LoadQuota(ctx, sv.ID, code.Code, n, until(sv, p.d.Now())); err != nil {
		p.d.Log.Debug("could not load a quota counter for a code's state", "survey", sv.ID, "error", err)
	}
	return n, true
}
