// Package submission is renke's submission protocol: the rules a respondent's
// answers pass on their way to the store (METHOD.md §5) — the code and its
// survey's window, per-address, per-code and per-survey rate limits, the
// quota of a shared code, one response per one-time code and per device, and
// what happens while Redis is away (limits and quotas counted in this process
// and in the store, under per-code locks). It knows neither HTTP nor the
// drivers: the api package parses requests, calls it and renders its Outcome.
package submission

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"log/slog"
	"regexp"
	"sync"
	"time"

	"renke/kv"
	"renke/survey"
)

// KV is what the protocol needs of Redis (kv.Client).
type KV interface {
	AllowAll(ctx context.Context, limits []kv.Limit) (bool, time.Duration, error)
	Admit(ctx context.Context, limits []kv.Limit, surveyID, once string) (kv.Admission, error)
	OnceHolder(ctx context.Context, surveyID, key string) (string, error)
	MarkOnce(ctx context.Context, surveyID, key, id string, until time.Time) error
	TakeQuota(ctx context.Context, surveyID, code string, quota int) error
	LoadQuota(ctx context.Context, surveyID, code string, stored int64, until time.Time) error
	ReleaseQuota(ctx context.Context, surveyID, code string) error
	RaiseQuota(ctx context.Context, surveyID, code string, places int64) error
	QuotaUsed(ctx context.Context, surveyID, code string) (int64, error)
	EndSurvey(ctx context.Context, surveyID string) error
}

// Store is what the protocol needs of the store (store.Store).
type Store interface {
	AppendResponse(ctx context.Context, r *survey.Response) error
	CountOfCode(ctx context.Context, surveyID, code string, since time.Time) (int64, error)
	OnceHeld(ctx context.Context, surveyID, key string) (bool, error)
	ReserveQuotaSlot(ctx context.Context, code string, known int64, quota int) (int64, error)
	ReleaseQuotaSlot(ctx context.Context, code string, k int64) error
	HighestQuotaSlot(ctx context.Context, code string) (int64, error)
}

// Lookup finds codes and surveys (the api's cache in front of the store).
type Lookup interface {
	Code(ctx context.Context, token string) (*survey.Code, error)
	Survey(ctx context.Context, id string) (*survey.Survey, error)
}

// Limits are the per-minute submission budgets.
type Limits struct {
	PerAddr, PerCode, PerSurvey int
}

// Deps are what a Protocol is built from. Count and Fallback, when set,
// observe outcomes (by label) and the Redis-down fallback switching on or off.
type Deps struct {
	KV       KV
	Store    Store
	Lookup   Lookup
	Limits   Limits
	Log      *slog.Logger
	Now      func() time.Time
	Count    func(outcome string)
	Fallback func(on bool)
}

// Protocol runs submissions through the rules. One per process: its
// fallback tallies and per-code locks are this process's.
type Protocol struct {
	d          Deps
	local      localLimiter
	quotaLocks keyedMutex
	// recovery is held while the quotas counted in the store during a Redis
	// outage are handed back to Redis; submissions wait for it.
	recovery sync.RWMutex
}

// New builds a Protocol.
func New(d Deps) *Protocol {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Count == nil {
		d.Count = func(string) {}
	}
	if d.Fallback == nil {
		d.Fallback = func(bool) {}
	}
	return &Protocol{d: d}
}

// FallbackActive reports whether limits are counted in this process because
// Redis is away.
func (p *Protocol) FallbackActive() bool { return p.local.Active() }

// EndSurvey drops what Redis holds for a survey that closed (its marks,
// quota counters and budget), so the in-process Redis's memory ends with the
// survey. The store alone decides uniqueness and quotas of a survey that
// reopens until Redis learns them again.
func (p *Protocol) EndSurvey(ctx context.Context, surveyID string) error {
	return p.d.KV.EndSurvey(ctx, surveyID)
}

// Request is one submission as the HTTP layer parsed it.
type Request struct {
	Token string
	Sub   survey.Submission
	// AddrHash is the keyed hash of the client address.
	AddrHash string
	// IdempotencyKey is the client's key for this submission ("" for none).
	IdempotencyKey string
	// Device returns the client's device id (it may set a cookie, so it is
	// asked only for a submission that gets that far).
	Device    func() string
	UserAgent string
}

var idempotencyKey = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{15,63}$`)

// ValidIdempotencyKey reports whether k is a well-formed key: 16 to 64
// letters, digits, '-' or '_', beginning with a letter or digit, so that it
// cannot start a formula when exported (= + - @ tab CR).
func ValidIdempotencyKey(k string) bool { return idempotencyKey.MatchString(k) }

func randomID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// submitTimeout bounds the store and Redis work of one submission: past it
// the respondent gets "unavailable" and retries rather than waiting on a
// stuck store.
const submitTimeout = 15 * time.Second

// Resolve finds the code and its survey, and checks the survey takes answers
// now. A code that does not exist counts against addr's per-address budget,
// so guessing codes is limited like submitting.
func (p *Protocol) Resolve(ctx context.Context, token, addr string) (*survey.Code, *survey.Survey, Outcome) {
	if len(token) < 16 || len(token) > 64 {
		return nil, nil, p.unknownCode(ctx, addr)
	}
	code, err := p.d.Lookup.Code(ctx, token)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, nil, p.unknownCode(ctx, addr)
	}
	if err != nil {
		return nil, nil, p.unavailable(ctx, err)
	}
	sv, err := p.d.Lookup.Survey(ctx, code.SurveyID)
	if err != nil {
		return nil, nil, p.unavailable(ctx, err)
	}
	now := p.d.Now()
	if voided := code.Usable() != nil; voided || sv.AcceptsAt(now) != nil { // voided when its plan was redrawn
		return code, sv, refuse(survey.CodeFacts{Now: now, Survey: sv, Code: code, QuotaUsed: -1, Voided: voided})
	}
	return code, sv, Outcome{}
}

func (p *Protocol) unknownCode(ctx context.Context, addr string) Outcome {
	if addr != "" {
		if ok, retry := p.allow(ctx, []kv.Limit{{Key: "addr:" + addr, PerMinute: p.d.Limits.PerAddr}}); !ok {
			return Outcome{Kind: TooMany, Msg: MsgTooMany, Retry: retry}
		}
	}
	return fail(BadCode, MsgBadCode)
}

// unavailable answers a failure of the store or Redis; one that only
// reflects the client leaving (its request canceled) is not logged as an error.
func (p *Protocol) unavailable(ctx context.Context, err error) Outcome {
	if errors.Is(ctx.Err(), context.Canceled) {
		p.d.Log.Debug("submission given up: the client left", "error", err)
	} else {
		p.d.Log.Error("store unavailable on the submission path", "error", err)
	}
	return Outcome{Kind: Unavailable, Msg: MsgBusy, Retry: 5 * time.Second}
}
