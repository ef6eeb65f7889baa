package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"renke/casework"
	"renke/web/console"
)

// Console security settings.
const (
	// SessionTTL is how long a console session lives after its last use.
	SessionTTL = 12 * time.Hour
	// MaxLoginFailures is how many wrong current passwords an account takes in
	// LoginFailureWindow before changes to it are refused with 429.
	MaxLoginFailures = casework.MaxLoginFailures
	// LoginFailureWindow is the window of MaxLoginFailures, from the first failure.
	LoginFailureWindow = casework.LoginFailureWindow
	// LoginAttemptsPerAddr is how many logins one client address may try per minute.
	LoginAttemptsPerAddr = casework.LoginAttemptsPerAddr
)

// consoleState is the console's part of the server.
type consoleState struct {
	pages *console.Pages
}

// cs returns the server's console state, created by consoleRoutes.
func (s *Server) cs() *consoleState {
	if s.console == nil {
		panic("api: console state used before consoleRoutes ran")
	}
	return s.console
}

// consoleError is a refusal with its HTTP status and a message for people.
type consoleError struct {
	status int
	msg    string
	retry  time.Duration // Retry-After, for 429
}

func (e *consoleError) Error() string { return fmt.Sprintf("%d: %s", e.status, e.msg) }

func cerr(status int, msg string) *consoleError { return &consoleError{status: status, msg: msg} }

// Refusals the console uses in many places.
var (
	errLoginNeeded   = cerr(http.StatusUnauthorized, "请先登录")
	errForbidden     = cerr(http.StatusForbidden, "你的角色无权进行此操作")
	errBadCSRF       = cerr(http.StatusForbidden, "页面已过期或请求来源无法确认，请刷新页面后重试")
	errSurveyMissing = cerr(http.StatusNotFound, "调查不存在，或你无权查看")
	errCountyMissing = cerr(http.StatusNotFound, "区县不存在，或你无权查看")
	errStoreDown     = cerr(http.StatusServiceUnavailable, "数据库或缓存暂时不可用，请稍后重试")
)

// invalid is a 422 carrying a validation message.
func invalid(err error) *consoleError {
	return cerr(http.StatusUnprocessableEntity, err.Error())
}

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

// asConsoleError maps any error to a refusal: the application layer's kinds
// (and the store's typed errors, through casework.From) by kindStatus,
// anything unknown to a logged 500.
func (s *Server) asConsoleError(err error) *consoleError {
	var ce *consoleError
	if errors.As(err, &ce) {
		return ce
	}
	e := casework.From(err)
	if e.Kind == casework.Internal && e.Err != nil {
		s.log.Error("console request failed", "err", err)
	}
	return &consoleError{status: StatusOf(e.Kind), msg: e.Msg, retry: e.RetryAfter}
}

// setRetryAfter sets the Retry-After header of a refusal that says when to try again.
func (e *consoleError) setRetryAfter(c *gin.Context) {
	if e.retry > 0 {
		c.Header("Retry-After", retryAfter(e.retry))
	}
}

// isAPI tells a JSON API request from a page request.
func isAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// fail answers with err: JSON for the API, an error page for the console.
func (s *Server) fail(c *gin.Context, err error) {
	e := s.asConsoleError(err)
	e.setRetryAfter(c)
	if isAPI(c) {
		c.AbortWithStatusJSON(e.status, gin.H{"error": e.msg})
		return
	}
	s.render(c, e.status, "error", console.Frame{Title: statusTitle(e.status), Data: console.ErrorPage{Status: e.status, Message: e.msg}})
	c.Abort()
}

// retryAfter formats a Retry-After value: whole seconds, rounded up, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.FormatInt(max(int64((d+time.Second-1)/time.Second), 1), 10)
}

func statusTitle(status int) string {
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

// render writes a console page; the frame's user and CSRF token come from the request.
func (s *Server) render(c *gin.Context, status int, name string, f console.Frame) {
	f.User = userOf(c)
	if sess := sessionOf(c); sess != nil {
		f.CSRF = sess.CSRF
	}
	var buf bytes.Buffer
	if err := s.cs().pages.Render(&buf, name, f); err != nil {
		s.log.Error("render console page", "page", name, "err", err)
		c.String(http.StatusInternalServerError, "页面渲染失败")
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// maxJSON bounds a console API request body.
const maxJSON = 256 << 10

// readJSON decodes a JSON body strictly (unknown fields refused) into v.
func readJSON(c *gin.Context, v any) error {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
		return cerr(http.StatusUnsupportedMediaType, "请求体必须是 JSON（Content-Type: application/json）")
	}
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, maxJSON+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return cerr(http.StatusBadRequest, "JSON 请求体有误："+err.Error())
	}
	if dec.More() {
		return cerr(http.StatusBadRequest, "JSON 请求体有误：只能有一个 JSON 值")
	}
	return nil
}

// redirect answers a page form with 303 See Other.
func redirect(c *gin.Context, to string) { c.Redirect(http.StatusSeeOther, to) }

// attachment answers with a file to save as name, never cached (every
// download is of data as it stands now, and some are sensitive).
func attachment(c *gin.Context, name, mime string, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, mime, body)
}
