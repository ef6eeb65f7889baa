package httpx

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"syscall"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/kv"
)

// Context keys of the authenticated request.
const (
	ctxUser    = "renke.console.user"
	ctxSession = "renke.console.session"
	ctxToken   = "renke.console.token"
)

// UserOf is the logged-in user of the request, nil when there is none.
func UserOf(c *gin.Context) *account.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*account.User)
	}
	return nil
}

// SessionOf is the request's live session, nil when there is none.
func SessionOf(c *gin.Context) *kv.Session {
	if v, ok := c.Get(ctxSession); ok {
		return v.(*kv.Session)
	}
	return nil
}

// TokenOf is the request's session token, "" when there is none.
func TokenOf(c *gin.Context) string {
	v, _ := c.Get(ctxToken)
	t, _ := v.(string)
	return t
}

// SetSession puts the authenticated user, session and token into the request.
func SetSession(c *gin.Context, u *account.User, sess *kv.Session, token string) {
	c.Set(ctxUser, u)
	c.Set(ctxSession, sess)
	c.Set(ctxToken, token)
}

// IsAPI tells a JSON API request from a page request.
func IsAPI(c *gin.Context) bool { return strings.HasPrefix(c.Request.URL.Path, "/api/") }

// IsForm says whether the request carries an HTML form.
func IsForm(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return err == nil && (mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data")
}

// SafeMethod reports methods that change nothing.
func SafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// MaxJSON bounds a console API request body.
const MaxJSON = 256 << 10

// ReadJSON decodes a JSON body strictly (unknown fields refused) into v.
func ReadJSON(c *gin.Context, v any) error {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
		return E(http.StatusUnsupportedMediaType, "请求体必须是 JSON（Content-Type: application/json）")
	}
	dec := json.NewDecoder(io.LimitReader(c.Request.Body, MaxJSON+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return E(http.StatusBadRequest, "JSON 请求体有误："+err.Error())
	}
	if dec.More() {
		return E(http.StatusBadRequest, "JSON 请求体有误：只能有一个 JSON 值")
	}
	return nil
}

// Redirect answers a page form with 303 See Other.
func Redirect(c *gin.Context, to string) { c.Redirect(http.StatusSeeOther, to) }

// Attachment answers with a file to save as name, never cached (every
// download is of data as it stands now, and some are sensitive).
func Attachment(c *gin.Context, name, mime string, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "no-store")
	c.Data(http.StatusOK, mime, body)
}

// ClientGone tells a write that failed because the client went away (closed
// the connection or canceled the request) from a failure of the server's own.
func ClientGone(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)
}
