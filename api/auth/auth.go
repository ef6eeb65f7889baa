// Package auth is the console's and the JSON API's authentication: the
// session middleware (login required, CSRF), logging in and out, the
// user's own account (password, second factor), and the access checks
// every console page and API call makes (who may see which county's survey).
package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/casework"
	"renke/kv"
	"renke/survey"
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

// Sessions keeps console sessions (kv.Client does).
type Sessions interface {
	Session(ctx context.Context, token string, ttl time.Duration) (*kv.Session, error)
	NewSession(ctx context.Context, userID string, ttl time.Duration) (string, *kv.Session, error)
	EndSession(ctx context.Context, token string) error
}

// Users finds the user of a session (store.Store does).
type Users interface {
	User(ctx context.Context, id string) (*account.User, error)
}

// Deps are what authentication is built from.
type Deps struct {
	Out      *httpx.Responder
	Client   httpx.Client
	Sessions Sessions
	Users    Users
	App      *casework.Service
	Log      *slog.Logger
	Now      func() time.Time
}

// Auth serves logins, sessions and the user's own account.
type Auth struct {
	Deps
}

// New builds the authentication handlers.
func New(d Deps) *Auth {
	return &Auth{Deps: d}
}

// Actor is the request's user as the application layer knows it.
func (s *Auth) Actor(c *gin.Context) casework.Actor {
	return casework.Actor{User: httpx.UserOf(c), Addr: s.Client.AddrHash(c)}
}

// Register adds the login page and the JSON API's login, outside any session.
func (s *Auth) Register(e *gin.Engine) {
	e.GET("/login", s.Authenticate(), s.loginPage)
	e.POST("/login", s.Authenticate(), s.loginSubmit)
	e.POST("/logout", s.Authenticate(), s.RequirePage(), s.CSRF(), s.logoutSubmit)
	e.POST("/api/v1/session", s.Authenticate(), s.apiLogin)
}

// RegisterPages adds the account pages to the console group.
func (s *Auth) RegisterPages(p *gin.RouterGroup) {
	p.GET("/account", s.accountPage)
	p.POST("/account/password", s.passwordSubmit)
	p.POST("/account/totp/new", s.totpOfferSubmit)
	p.POST("/account/totp", s.totpConfirmSubmit)
	p.POST("/account/totp/off", s.totpOffSubmit)
}

// RegisterAPI adds the session and own-password calls to the API group.
func (s *Auth) RegisterAPI(a *gin.RouterGroup) {
	a.GET("/session", s.apiSession)
	a.DELETE("/session", s.apiLogout)
	a.PUT("/account/password", s.apiChangePassword)
}

// Store reads what access checks need (store.Store does).
type Store interface {
	Survey(ctx context.Context, id string) (*survey.Survey, error)
	County(ctx context.Context, name string) (*account.County, error)
}

// Access checks who may act on which county and survey.
type Access struct {
	store  Store
	client httpx.Client
}

// NewAccess builds the access checks.
func NewAccess(st Store, client httpx.Client) *Access { return &Access{store: st, client: client} }
