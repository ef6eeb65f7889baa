package api

import (
	"crypto/subtle"
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
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

// Context keys of the authenticated request.
const (
	ctxUser    = "renke.console.user"
	ctxSession = "renke.console.session"
	ctxToken   = "renke.console.token"
)

// userOf is the logged-in user of the request, nil when there is none.
func userOf(c *gin.Context) *account.User {
	if v, ok := c.Get(ctxUser); ok {
		return v.(*account.User)
	}
	return nil
}

// sessionOf is the request's live session, nil when there is none.
func sessionOf(c *gin.Context) *kv.Session {
	if v, ok := c.Get(ctxSession); ok {
		return v.(*kv.Session)
	}
	return nil
}

// secureRequest says whether cookies must be Secure: the public URL is https
// or the request came over TLS.
func (s *Server) secureRequest(c *gin.Context) bool { return c.Request.TLS != nil || s.secureCookies() }

func (s *Server) sessionCookie(c *gin.Context) string {
	if s.secureRequest(c) {
		return secureSessionCookieName
	}
	return sessionCookieName
}

// sessionToken is the token the client presents, "" when none.
func (s *Server) sessionToken(c *gin.Context) string {
	v, err := c.Cookie(s.sessionCookie(c))
	if err != nil {
		return ""
	}
	return v
}

func (s *Server) setSessionCookie(c *gin.Context, token string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{Name: s.sessionCookie(c), Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secureRequest(c), SameSite: http.SameSiteLaxMode})
}

// authenticate puts the user and session of a valid session cookie into the
// request; it refuses nothing (requirePage and requireAPI do).
func (s *Server) authenticate() gin.HandlerFunc {
	return func(c *gin.Context) {
		tok := s.sessionToken(c)
		if tok == "" {
			c.Next()
			return
		}
		ctx := c.Request.Context()
		sess, err := s.kv.Session(ctx, tok, SessionTTL)
		if errors.Is(err, kv.ErrNoSession) {
			c.Next()
			return
		}
		if err != nil {
			s.log.Warn("console session lookup failed", "err", err)
			s.fail(c, errStoreDown)
			return
		}
		u, err := s.store.User(ctx, sess.UserID)
		if err != nil && !errors.Is(err, survey.ErrNotFound) {
			s.fail(c, err)
			return
		}
		// A session of a removed or disabled user, or one older than the
		// password, is void even if revoking it missed.
		if u == nil || u.Disabled || sess.Created.Before(u.PasswordChanged) {
			if err := s.kv.EndSession(ctx, tok); err != nil {
				s.log.Warn("end void session", "err", err)
			}
			c.Next()
			return
		}
		c.Set(ctxUser, u)
		c.Set(ctxSession, sess)
		c.Set(ctxToken, tok)
		c.Next()
	}
}

// requirePage sends visitors without a session to the login page.
func (s *Server) requirePage() gin.HandlerFunc {
	return func(c *gin.Context) {
		if userOf(c) != nil {
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

// requireAPI answers 401 to API calls without a session.
func (s *Server) requireAPI() gin.HandlerFunc {
	return func(c *gin.Context) {
		if userOf(c) == nil {
			c.Header("WWW-Authenticate", `Cookie realm="renke"`)
			s.fail(c, errLoginNeeded)
			return
		}
		c.Next()
	}
}

// maxConsoleBody bounds any state-changing console request (a frame workbook is the largest).
const maxConsoleBody = maxFrameUpload + 1<<20

// safeMethod reports methods that change nothing.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrf requires the session's synchronizer token on every state-changing
// request: the X-CSRF-Token header (JSON, htmx) or the csrf form field.
func (s *Server) csrf() gin.HandlerFunc {
	return func(c *gin.Context) {
		if safeMethod(c.Request.Method) {
			c.Next()
			return
		}
		sess := sessionOf(c)
		if sess == nil {
			s.fail(c, errLoginNeeded)
			return
		}
		// Bound the body before anything parses it (a form here is parsed for its token).
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxConsoleBody)
		got := c.GetHeader("X-CSRF-Token")
		if got == "" && isForm(c) {
			got = c.PostForm("csrf")
		}
		if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
			s.fail(c, errBadCSRF)
			return
		}
		c.Next()
	}
}

func isForm(c *gin.Context) bool {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	return err == nil && (mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data")
}

// safeNext keeps a post-login redirect on the console.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/console") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/console"
}
