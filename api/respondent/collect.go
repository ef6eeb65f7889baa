package respondent

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"renke/submission"
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
	// state is the code's state when the refusal is one: pages and JSON
	// show it alike, whichever request met it.
	state *survey.CodeState
}

func fail(status int, msg string) outcome { return outcome{status: status, msg: msg} }

// Messages respondents see that the HTTP layer itself gives.
const (
	msgTooLarge    = "提交内容过大。"
	msgBadRequest  = "提交的内容格式不正确，请刷新页面后重试。"
	msgContentType = "请以 JSON 格式提交（Content-Type: application/json）。"
)

// statusOf maps the submission protocol's outcomes to HTTP statuses, for the
// respondent's pages and the JSON API alike.
var statusOf = map[submission.Kind]int{
	submission.Created:       http.StatusCreated,
	submission.Recorded:      http.StatusConflict,
	submission.BadRequest:    http.StatusBadRequest,
	submission.BadCode:       http.StatusNotFound,
	submission.NotOpen:       http.StatusGone,
	submission.TooMany:       http.StatusTooManyRequests,
	submission.Invalid:       http.StatusUnprocessableEntity,
	submission.Conflict:      http.StatusConflict,
	submission.Unavailable:   http.StatusServiceUnavailable,
	submission.Misconfigured: http.StatusInternalServerError,
}

func fromOutcome(o submission.Outcome) outcome {
	if !o.Ends() {
		return outcome{}
	}
	return outcome{status: statusOf[o.Kind], msg: o.Msg, item: o.Item, retry: o.Retry, resp: o.Resp,
		recorded: o.Kind == submission.Recorded, state: o.State}
}

// cachedLookup gives the protocol the handler's cached code and survey lookups.
type cachedLookup struct{ s *Handler }

// Code is the cached code of token.
func (l cachedLookup) Code(ctx context.Context, token string) (*survey.Code, error) {
	return l.s.code(ctx, token)
}

// Survey is the cached survey of id.
func (l cachedLookup) Survey(ctx context.Context, id string) (*survey.Survey, error) {
	return l.s.survey(ctx, id)
}

// resolve finds the code and its survey, and checks the survey takes answers
// now; an unknown code counts against the client address's budget.
func (s *Handler) resolve(c *gin.Context, token string) (*survey.Code, *survey.Survey, outcome) {
	code, sv, o := s.intake.Resolve(c.Request.Context(), token, s.client.AddrHash(c))
	return code, sv, fromOutcome(o)
}

// submit runs one submission through the submission protocol.
func (s *Handler) submit(c *gin.Context, token string, sub survey.Submission) outcome {
	o := s.intake.Submit(c.Request.Context(), submission.Request{
		Token: token, Sub: sub, AddrHash: s.client.AddrHash(c),
		IdempotencyKey: c.GetHeader("Idempotency-Key"),
		Device:         func() string { return s.client.Device(c) },
		UserAgent:      c.Request.UserAgent(),
	})
	return fromOutcome(o)
}

// writeJSONOutcome answers the JSON API.
func writeJSONOutcome(c *gin.Context, o outcome) {
	if o.retry > 0 {
		c.Header("Retry-After", strconv.Itoa(int(o.retry.Seconds()+0.999)))
	}
	if o.state != nil {
		stateJSON(c, *o.state)
		return
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
