// Package httpx is the small HTTP helper every audience of renke's HTTP
// adapter shares: the one error type and its status table, the request's
// user and session, JSON bodies, downloads, client identity and the console
// page renderer. It holds no rule of the survey.
package httpx

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"renke/casework"
)

// Error is a refusal with its HTTP status and a message for people.
type Error struct {
	Status int
	Msg    string
	Retry  time.Duration // Retry-After, for 429
}

// Error formats the refusal for logs.
func (e *Error) Error() string { return fmt.Sprintf("%d: %s", e.Status, e.Msg) }

// E is a refusal with status and msg.
func E(status int, msg string) *Error { return &Error{Status: status, Msg: msg} }

// Refusals used in many places.
var (
	ErrLoginNeeded   = E(http.StatusUnauthorized, "请先登录")
	ErrForbidden     = E(http.StatusForbidden, "你的角色无权进行此操作")
	ErrBadCSRF       = E(http.StatusForbidden, "页面已过期或请求来源无法确认，请刷新页面后重试")
	ErrSurveyMissing = E(http.StatusNotFound, "调查不存在，或你无权查看")
	ErrCountyMissing = E(http.StatusNotFound, "区县不存在，或你无权查看")
	ErrStoreDown     = E(http.StatusServiceUnavailable, "数据库或缓存暂时不可用，请稍后重试")
)

// Invalid is a 422 carrying a validation message.
func Invalid(err error) *Error { return E(http.StatusUnprocessableEntity, err.Error()) }

// kindStatus is the one table from an application-layer error kind to the
// HTTP status the respondent pages, the console and the JSON API answer with.
var kindStatus = map[casework.Kind]int{
	casework.NotFound:    http.StatusNotFound,
	casework.Forbidden:   http.StatusForbidden,
	casework.Conflict:    http.StatusConflict,
	casework.Invalid:     http.StatusUnprocessableEntity,
	casework.Unavailable: http.StatusServiceUnavailable,
	casework.Internal:    http.StatusInternalServerError,
	// A refused login; a TooMany refusal carries Retry-After.
	casework.Unauthorized: http.StatusUnauthorized,
	casework.TooMany:      http.StatusTooManyRequests,
}

// StatusOf is the HTTP status of an application-layer error kind.
func StatusOf(k casework.Kind) int {
	if st, ok := kindStatus[k]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// As maps any error to a refusal: an *Error as it is, the application
// layer's kinds (and the store's typed errors, through casework.From) by
// kindStatus, anything unknown to a 500 logged on log.
func As(log *slog.Logger, err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	ce := casework.From(err)
	if ce.Kind == casework.Internal && ce.Err != nil {
		log.Error("request failed", "err", err)
	}
	return &Error{Status: StatusOf(ce.Kind), Msg: ce.Msg, Retry: ce.RetryAfter}
}

// SetRetryAfter sets the Retry-After header of a refusal that says when to try again.
func (e *Error) SetRetryAfter(c *gin.Context) {
	if e.Retry > 0 {
		c.Header("Retry-After", RetryAfter(e.Retry))
	}
}

// RetryAfter formats a Retry-After value: whole seconds, rounded up, at least 1.
func RetryAfter(d time.Duration) string {
	return strconv.FormatInt(max(int64((d+time.Second-1)/time.Second), 1), 10)
}

// StatusTitle is the console's heading for an error page of status.
func StatusTitle(status int) string {
	switch status {
	case http.StatusForbidden:
		return "无权访问"
	case http.StatusNotFound:
		return "未找到"
	case http.StatusTooManyRequests:
		return "请求过于频繁"
	case http.StatusServiceUnavailable:
		return "服务暂不可用"
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		return "输入有误"
	case http.StatusConflict:
		return "操作冲突"
	}
	return "出错了"
}
