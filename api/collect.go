package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"renke/kv"
	"renke/store"
	"renke/survey"
)

// maxBody caps a submission body: 25 items need under 2 KB.
const maxBody = 64 << 10

// outcome is the result of one submission, for JSON and HTML alike.
type outcome struct {
	status int
	msg    string // Chinese, shown to the respondent
	item   string // the first invalid item, for 422
	retry  time.Duration
	resp   *survey.Response
	// recorded: this very submission was stored before (a retry).
	recorded bool
}

func fail(status int, msg string) outcome { return outcome{status: status, msg: msg} }

// Messages respondents see.
const (
	msgBadCode     = "二维码无效，请核对后重新扫描。"
	msgNotOpen     = "问卷尚未开放或已经结束，感谢您的关注。"
	msgCodeUsed    = "该二维码已经使用过，每个二维码只能提交一次。"
	msgDeviceUsed  = "您已经在这台手机上提交过本问卷，感谢参与。"
	msgRecorded    = "您的问卷已经提交成功，无需重复提交。"
	msgIDReused    = "提交编号与另一份答卷重复，请刷新页面后重新作答。"
	msgQuotaFull   = "本校该类调查对象的名额已满，感谢您的支持。"
	msgTooMany     = "提交过于频繁，请稍后再试。"
	msgTooLarge    = "提交内容过大。"
	msgBusy        = "服务器繁忙，您的答案已保存在手机上，请稍后重新提交。"
	msgBadRequest  = "提交的内容格式不正确，请刷新页面后重试。"
	msgBadStart    = "答题开始时间无效，请刷新页面后重新提交。"
	msgContentType = "请以 JSON 格式提交（Content-Type: application/json）。"
)

// resolve finds the code and its survey, and checks the survey takes answers now.
func (s *Server) resolve(c *gin.Context, token string) (*survey.Code, *survey.Survey, outcome) {
	ctx := c.Request.Context()
	if len(token) < 16 || len(token) > 64 {
		return nil, nil, fail(http.StatusNotFound, msgBadCode)
	}
	code, err := s.code(ctx, token)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, nil, fail(http.StatusNotFound, msgBadCode)
	}
	if err != nil {
		return nil, nil, s.unavailable(err)
	}
	if err := code.Usable(); err != nil { // voided when its plan was redrawn
		return nil, nil, fail(http.StatusGone, err.Error())
	}
	sv, err := s.survey(ctx, code.SurveyID)
	if err != nil {
		return nil, nil, s.unavailable(err)
	}
	if err := sv.AcceptsAt(s.now()); err != nil {
		return code, sv, fail(http.StatusGone, msgNotOpen)
	}
	return code, sv, outcome{}
}

func (s *Server) unavailable(err error) outcome {
	s.log.Error("store unavailable on the submission path", "error", err)
	return outcome{status: http.StatusServiceUnavailable, msg: msgBusy, retry: 5 * time.Second}
}

// submitTimeout bounds the store and Redis work of one submission: past it
// the respondent gets 503 and retries rather than waiting on a stuck store.
const submitTimeout = 15 * time.Second

// submit runs one submission through every rule of METHOD.md §5 and stores it.
func (s *Server) submit(c *gin.Context, token string, sub survey.Submission) outcome {
	ctx, cancel := context.WithTimeout(c.Request.Context(), submitTimeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	code, sv, out := s.resolve(c, token)
	if out.status != 0 {
		return out
	}
	addr := s.addrHash(c)
	if ok, retry := s.allow(ctx, []limitRule{
		{"addr:" + addr, s.cfg.Limits.PerAddr},
		{"code:" + code.Code, s.cfg.Limits.PerCode},
		{"survey:" + sv.ID, s.cfg.Limits.PerSurvey},
	}); !ok {
		return outcome{status: http.StatusTooManyRequests, msg: msgTooMany, retry: retry}
	}
	q, ok := sv.Forms[code.Group.Form()]
	if !ok {
		return fail(http.StatusInternalServerError, "问卷配置有误，请联系调查组织方。")
	}
	err := q.Validate(sub, code.Group)
	if err == nil && code.Band == "" {
		err = survey.RequireBand(sub, code.Group)
	}
	if err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return outcome{status: http.StatusUnprocessableEntity, msg: ve.Message, item: ve.ItemID}
		}
		return fail(http.StatusUnprocessableEntity, err.Error())
	}
	now := survey.TruncateTime(s.now())
	started := survey.TruncateTime(sub.StartedAt)
	if started.IsZero() {
		started = now
	}
	if started.After(now.Add(time.Minute)) || now.Sub(started) > 7*24*time.Hour {
		return outcome{status: http.StatusUnprocessableEntity, msg: msgBadStart, item: "started_at"}
	}
	band := code.Band
	if band == "" && code.Group.HasBand() {
		band = survey.Band(sub.Band)
	}
	r := &survey.Response{
		ID: submissionID(c), SurveyID: sv.ID, Code: code.Code, CodeKind: code.Kind,
		Form: q.Kind, FormVersion: q.Version, Group: code.Group, School: code.School,
		Township: code.Township, Urbanicity: code.Urbanicity, Band: band, Answers: sub.Answers,
		StartedAt: started, SubmittedAt: now, DeviceID: s.device(c), AddrHash: addr,
		UAFamily: survey.UAFamily(c.Request.UserAgent()),
	}
	// A code or device already known to have answered is refused without
	// asking the store (on the embedded store that question reads every
	// stored response). Unknown, or Redis away: the store decides.
	once := store.OnceKey(r)
	if holder, _ := s.kv.OnceHolder(ctx, once); holder != "" && holder != r.ID {
		return s.repeated(code)
	}
	done := func(stored bool) {}
	if code.Kind == survey.SharedCode && code.Quota > 0 {
		var out outcome
		if done, out = s.takeQuota(c, code); out.status != 0 {
			return out
		}
	}
	err = s.store.AppendResponse(ctx, r)
	done(err == nil)
	if err == nil || errors.Is(err, store.ErrAlreadyRecorded) {
		// Best effort: the mark lasts until a day after the survey closes.
		ttl := max(time.Until(sv.Closes)+24*time.Hour, time.Hour)
		if merr := s.kv.MarkOnce(ctx, once, r.ID, ttl); merr != nil {
			s.log.Warn("could not mark the code or device as answered", "survey", sv.ID, "error", merr)
		}
	}
	switch {
	case err == nil:
		s.metrics.Responses.WithLabelValues("accepted").Inc()
		return outcome{status: http.StatusCreated, resp: r}
	case errors.Is(err, store.ErrAlreadyRecorded):
		s.metrics.Responses.WithLabelValues("already_recorded").Inc()
		return outcome{status: http.StatusConflict, msg: msgRecorded, resp: r, recorded: true}
	case errors.Is(err, store.ErrIDReused):
		s.metrics.Responses.WithLabelValues("id_reused").Inc()
		return fail(http.StatusConflict, msgIDReused)
	case errors.Is(err, survey.ErrDuplicate):
		return s.repeated(code)
	}
	s.metrics.Responses.WithLabelValues("unavailable").Inc()
	return s.unavailable(err)
}

// repeated refuses a one-time code used before, or a device that has answered.
func (s *Server) repeated(code *survey.Code) outcome {
	if code.Kind == survey.OneTimeCode {
		s.metrics.Responses.WithLabelValues("code_used").Inc()
		return fail(http.StatusConflict, msgCodeUsed)
	}
	s.metrics.Responses.WithLabelValues("device_repeat").Inc()
	return fail(http.StatusConflict, msgDeviceUsed)
}

// takeQuota takes a place of a shared code's quota. Redis holds the counter;
// it is loaded from the store when Redis does not hold it (a new code, or an
// empty Redis after a restart), and while Redis is unreachable the quota is
// counted in the store instead. A per-code lock keeps the two ways apart in
// this process: submissions counted by Redis share it, a count taken from the
// store holds it alone, so no count misses a response still being written.
// done must be called with whether the response was stored.
func (s *Server) takeQuota(c *gin.Context, code *survey.Code) (done func(stored bool), out outcome) {
	ctx := c.Request.Context()
	mu := s.quotaLocks.get(code.Code)
	for attempt := 0; attempt < 3; attempt++ {
		mu.RLock()
		err := s.kv.TakeQuota(ctx, code.Code, code.Quota)
		switch {
		case err == nil:
			return func(stored bool) {
				if stored {
					// A tally kept during an earlier Redis outage no longer counts this one.
					s.local.dropFallbackCount(code.Code)
				}
				if !stored {
					if err := s.kv.ReleaseQuota(context.WithoutCancel(ctx), code.Code); err != nil {
						s.log.Warn("could not give back a quota place", "survey", code.SurveyID, "error", err)
					}
				}
				s.quotaLocks.settle(code.Code)
				mu.RUnlock()
			}, outcome{}
		case errors.Is(err, survey.ErrQuotaFull):
			mu.RUnlock()
			s.metrics.Responses.WithLabelValues("quota_full").Inc()
			return nil, fail(http.StatusConflict, msgQuotaFull)
		case errors.Is(err, kv.ErrNotLoaded):
			mu.RUnlock()
			mu.Lock()
			// Any pass that began after this code's last submission in
			// this process was settled sees every response of it stored here.
			n, err := s.store.CountOfCode(ctx, code.SurveyID, code.Code, s.quotaLocks.lastSettled(code.Code))
			if err == nil {
				err = s.kv.LoadQuota(ctx, code.Code, n)
			}
			mu.Unlock()
			if errors.Is(err, survey.ErrUnavailable) && !s.storeDown(err) {
				return s.quotaFromStore(c, code)
			}
			if err != nil {
				return nil, s.unavailable(err)
			}
		default:
			mu.RUnlock()
			s.fallbackOn(err)
			return s.quotaFromStore(c, code)
		}
	}
	return nil, s.unavailable(errors.New("quota counter could not be loaded"))
}

// storeDown tells a store failure from a Redis one among unavailable errors.
func (s *Server) storeDown(err error) bool {
	return s.store.Ping(context.Background()) != nil
}

// quotaFromStore enforces a quota while Redis is away: it counts the code's
// stored responses once, keeps a tally in this process, and takes each place
// in the store (ReserveQuotaSlot), so replicas that each count on their own
// still cannot take the same place twice. It holds the code's lock alone
// until each response is stored or refused.
func (s *Server) quotaFromStore(c *gin.Context, code *survey.Code) (func(bool), outcome) {
	ctx := c.Request.Context()
	mu := s.quotaLocks.get(code.Code)
	mu.Lock()
	n, ok := s.local.fallbackCount(code.Code)
	if !ok {
		var err error
		if n, err = s.store.CountOfCode(ctx, code.SurveyID, code.Code, s.quotaLocks.lastSettled(code.Code)); err != nil {
			mu.Unlock()
			return nil, s.unavailable(err)
		}
		s.local.setFallbackCount(code.Code, n)
	}
	place, err := s.store.ReserveQuotaSlot(ctx, code.Code, n, code.Quota)
	if errors.Is(err, survey.ErrQuotaFull) {
		mu.Unlock()
		s.metrics.Responses.WithLabelValues("quota_full").Inc()
		return nil, fail(http.StatusConflict, msgQuotaFull)
	}
	if err != nil {
		mu.Unlock()
		return nil, s.unavailable(err)
	}
	return func(stored bool) {
		bg := context.WithoutCancel(ctx)
		if stored {
			s.local.setFallbackCount(code.Code, place)
			// Should Redis be back already, its counter now lags the store:
			// drop it (best effort) so the next submission reloads it.
			_ = s.kv.ForgetQuota(bg, code.Code)
		} else if err := s.store.ReleaseQuotaSlot(bg, code.Code, place); err != nil {
			s.log.Warn("could not give back a quota place taken during the Redis outage", "survey", code.SurveyID, "error", err)
		}
		s.quotaLocks.settle(code.Code)
		mu.Unlock()
	}, outcome{}
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

// writeJSONOutcome answers the JSON API.
func writeJSONOutcome(c *gin.Context, o outcome) {
	if o.retry > 0 {
		c.Header("Retry-After", strconv.Itoa(int(o.retry.Seconds()+0.999)))
	}
	if o.status == http.StatusCreated {
		c.JSON(o.status, gin.H{"id": o.resp.ID, "seq": o.resp.Seq, "hash": o.resp.Hash})
		return
	}
	body := gin.H{"error": o.msg}
	if o.item != "" {
		body["item"] = o.item
	}
	if o.recorded {
		c.Header("X-Already-Recorded", "1")
		body["already_recorded"] = true
		body["id"] = o.resp.ID
	}
	c.JSON(o.status, body)
}
