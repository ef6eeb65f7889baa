package auth

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/api/httpx"
	"renke/kv"
	"renke/survey"
)

// Cookie names. The session cookie takes the __Host- prefix when it is
// Secure, so no subdomain or plain-HTTP page can set it.
const (
	sessionCookieName       = "renke_session"
	secureSessionCookieName = "__Host-renke_session"
	loginCookie             = "renke_login"
)

func (s *Auth) sessionCookie(c *gin.Context) string {
	if s.Client.Secure(c) {
		return secureSessionCookieName
	}
	return sessionCookieName
}

// sessionToken is the token the client presents, "" when none.
func (s *Auth) sessionToken(c *gin.Context) string {
	v, err := c.Cookie(s.sessionCookie(c))
	if err != nil {
		return ""
	}
	return v
}

func (s *Auth) setSessionCookie(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: s.sessionCookie(c), Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.Client.Secure(c), SameSite: http.SameSiteLaxMode})
}

// Authenticate puts the user and session of a valid session cookie into the
// request; it refuses nothing (RequirePage and RequireAPI do).
func (s *Auth) Authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		tok := s.sessionToken(c)
		if tok == "" {
			c.Next()
			return
		}
		ctx := c.Request.Context()
		sess, err := s.Sessions.Session(ctx, tok, SessionTTL)
		if errors.Is(err, kv.ErrNoSession) {
			c.Next()
			return
		}
		if err != nil {
			s.Log.Warn("console session lookup failed", "err", err)
			s.Out.Fail(c, httpx.ErrStoreDown)
			return
		}
		u, err := s.Users.User(ctx, sess.UserID)
		if err != nil && !errors.Is(err, survey.ErrNotFound) {
			s.Out.Fail(c, err)
			return
		}
		// A session of a removed or disabled user, or one older than the
		// password, is void even if revoking it missed.
		if u == nil || u.Disabled || sess.Created.Before(u.PasswordChanged) {
			if err := s.Sessions.EndSession(ctx, tok); err != nil {
				s.Log.Warn("end void session", "err", err)
			}
			c.Next()
			return
		}
		httpx.SetSession(c, u, sess, tok)
		c.Next()
	}
}

// RequirePage sends visitors without a session to the login page.
func (s *Auth) RequirePage() gin.HandlerFunc {
	return func(c *gin.Context) {
		if httpx.UserOf(c) != nil {
			c.Next()
			return
		}
		to := "/login"
		if c.Request.Method == http.MethodGet {
			to += "?next=" + url.QueryEscape(c.Request.URL.RequestURI())
		}
		c.Header("Cache-Control", "no-store")
		c.Redirect(http.StatusSeeOther, to)
		c.Abort()
	}
}

// RequireAPI answers 401 to API calls without a session.
func (s *Auth) RequireAPI() gin.HandlerFunc {
	return func(c *gin.Context) {
		if httpx.UserOf(c) == nil {
			c.Header("WWW-Authenticate", `Cookie realm="renke"`)
			s.Out.Fail(c, httpx.ErrLoginNeeded)
			return
		}
		c.Next()
	}
}

// maxConsoleBody bounds any state-changing console request (a frame workbook is the largest).
const maxConsoleBody = MaxFrameUpload + 1<<20

// MaxFrameUpload bounds an uploaded frame workbook.
const MaxFrameUpload = 10 << 20

// CSRF requires the session's synchronizer token on every state-changing
// request: the X-CSRF-Token header (JSON, htmx) or the csrf form field.
func (s *Auth) CSRF() gin.HandlerFunc {
	return func(c *gin.Context) {
		if httpx.SafeMethod(c.Request.Method) {
			c.Next()
			return
		}
		sess := httpx.SessionOf(c)
		if sess == nil {
			s.Out.Fail(c, httpx.ErrLoginNeeded)
			return
		}
		// Bound the body before anything parses it (a form here is parsed for its token).
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxConsoleBody)
		got := c.GetHeader("X-CSRF-Token")
		if got == "" && httpx.IsForm(c) {
			got = c.PostForm("csrf")
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
			s.Out.Fail(c, httpx.ErrBadCSRF)
			return
		}
		c.Next()
	}
}

// safeNext keeps a post-login redirect on the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/console"
}
