package submission

import (
	"context"
	"errors"
	"time"

	"renke/kv"
	"renke/store"
	"renke/survey"
)

// markMargin keeps a survey's one-response marks a little past its close.
const markMargin = time.Hour

// Submit runs one submission through every rule of METHOD.md §5 and stores it.
func (p *Protocol) Submit(ctx context.Context, req Request) Outcome {
	ctx, cancel := context.WithTimeout(ctx, submitTimeout)
	defer cancel()
	id := req.IdempotencyKey
	if id == "" {
		id = randomID()
	} else if !ValidIdempotencyKey(id) {
		return fail(BadRequest, MsgBadIdemKey)
	}
	code, sv, out := p.Resolve(ctx, req.Token, req.AddrHash)
	if out.Ends() {
		return out
	}
	limits := []kv.Limit{
		{Key: "addr:" + req.AddrHash, PerMinute: p.d.Limits.PerAddr},
		{Key: "code:" + sv.ID + ":" + code.Code, PerMinute: p.d.Limits.PerCode},
		{Key: "survey:" + sv.ID, PerMinute: p.d.Limits.PerSurvey},
	}
	// The answers are checked first (no round trip), so that the budgets
	// and the uniqueness mark are asked of Redis in one; an invalid
	// submission still spends its budgets, as every refused one does.
	r, out := p.build(sv, code, req, id)
	if out.Ends() {
		if ok, retry := p.allow(ctx, limits); !ok {
			return Outcome{Kind: TooMany, Msg: MsgTooMany, Retry: retry}
		}
		return out
	}
	// A code or device already known to have answered is refused without
	// asking the store (on the embedded store that question reads every
	// stored response). Unknown, or Redis away: the store decides.
	once := store.OnceKey(r)
	ok, retry, holder := p.admit(ctx, limits, sv.ID, once)
	if !ok {
		return Outcome{Kind: TooMany, Msg: MsgTooMany, Retry: retry}
	}
	if holder != "" && holder != r.ID {
		return p.repeated(code)
	}
	done := func(stored bool) {}
	if code.Kind == survey.SharedCode && code.Quota > 0 {
		if done, out = p.takeQuota(ctx, sv, code); out.Ends() {
			return out
		}
	}
	err := p.d.Store.AppendResponse(ctx, r)
	done(err == nil)
	if err == nil || errors.Is(err, store.ErrAlreadyRecorded) {
		// Best effort: the marks end with the survey.
		if merr := p.d.KV.MarkOnce(ctx, sv.ID, once, r.ID, until(sv, p.d.Now())); merr != nil {
			p.d.Log.Warn("could not mark the code or device as answered", "survey", sv.ID, "error", merr)
		}
	}
	switch {
	case err == nil:
		p.d.Count("accepted")
		return Outcome{Kind: Created, Resp: r}
	case errors.Is(err, store.ErrAlreadyRecorded):
		p.d.Count("already_recorded")
		return Outcome{Kind: Recorded, Msg: MsgRecorded, Resp: r}
	case errors.Is(err, store.ErrIDReused):
		p.d.Count("id_reused")
		return fail(Conflict, MsgIDReused)
	case errors.Is(err, survey.ErrDuplicate):
		return p.repeated(code)
	}
	p.d.Count("unavailable")
	return p.unavailable(ctx, err)
}

// until is when what Redis keeps for sv ends: a little after it closes.
func until(sv *survey.Survey, now time.Time) time.Time {
	return later(sv.Closes.Add(markMargin), now.Add(markMargin))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// build validates the answers and makes the response to store.
func (p *Protocol) build(sv *survey.Survey, code *survey.Code, req Request, id string) (*survey.Response, Outcome) {
	q, ok := sv.Forms[code.Group.Form()]
	if !ok {
		return nil, fail(Misconfigured, MsgMisconfig)
	}
	sub := req.Sub
	err := q.Validate(sub, code.Group)
	if err == nil && code.Band == "" {
		err = survey.RequireBand(sub, code.Group)
	}
	if err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return nil, Outcome{Kind: Invalid, Msg: ve.Message, Item: ve.ItemID}
		}
		return nil, fail(Invalid, err.Error())
	}
	now := survey.TruncateTime(p.d.Now())
	started := survey.TruncateTime(sub.StartedAt)
	if started.IsZero() {
		started = now
	}
	if started.After(now.Add(time.Minute)) || now.Sub(started) > 7*24*time.Hour {
		return nil, Outcome{Kind: Invalid, Msg: MsgBadStart, Item: "started_at"}
	}
	band := code.Band
	if band == "" && code.Group.HasBand() {
		band = survey.Band(sub.Band)
	}
	device := ""
	if req.Device != nil {
		device = req.Device()
	}
	return &survey.Response{
		ID: id, SurveyID: sv.ID, Code: code.Code, CodeKind: code.Kind,
		Form: q.Kind, FormVersion: q.Version, Group: code.Group, School: code.School,
		Township: code.Township, Urbanicity: code.Urbanicity, Band: band, Answers: sub.Answers,
		StartedAt: started, SubmittedAt: now, DeviceID: device, AddrHash: req.AddrHash,
		UAFamily: survey.UAFamily(req.UserAgent),
	}, Outcome{}
}

// repeated refuses a one-time code used before, or a device that has answered.
func (p *Protocol) repeated(code *survey.Code) Outcome {
	if code.Kind == survey.OneTimeCode {
		p.d.Count("code_used")
		return fail(Conflict, MsgCodeUsed)
	}
	p.d.Count("device_repeat")
	return fail(Conflict, MsgDeviceUsed)
}
