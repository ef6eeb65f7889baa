package auth

import (
	"crypto/hmac"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/skip2/go-qrcode"

	"renke/account"
	"renke/api/httpx"
	"renke/web/console"
)

// totpOfferTTL is how long an offered authenticator key may be confirmed.
const totpOfferTTL = 10 * time.Minute

// totpOffer signs an offered key for the user until exp, so the page that
// confirms it needs no server-side state.
func (s *Auth) totpOffer(u *account.User, secret string, exp int64) string {
	return s.Client.Sign("totp-offer", u.ID+"|"+secret+"|"+strconv.FormatInt(exp, 10))
}

// accountView is the account page's data: the offered key while enrolling.
func (s *Auth) accountView(c *gin.Context, offer bool) (*console.AccountPage, error) {
	u := httpx.UserOf(c)
	page := &console.AccountPage{TwoFactor: u.TwoFactor()}
	if !offer || u.TwoFactor() {
		return page, nil
	}
	o, err := s.App.OfferSecondFactor(c.Request.Context(), s.Actor(c))
	if err != nil {
		return nil, err
	}
	secret := o.Secret
	png, err := qrcode.Encode(o.URL, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("authenticator QR code: %w", err)
	}
	exp := s.Now().Add(totpOfferTTL).Unix()
	page.Offer = &console.TOTPOffer{Secret: secret, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Expires: exp, MAC: s.totpOffer(u, secret, exp)}
	return page, nil
}

// renderAccount shows the account page with an error or flash.
func (s *Auth) renderAccount(c *gin.Context, status int, offer bool, msg string) {
	page, err := s.accountView(c, offer)
	if err != nil {
		s.Out.Fail(c, err)
		return
	}
	s.Out.Render(c, status, "account", console.Frame{Title: "我的账号", Nav: "account", Flash: httpx.Flash(c), Error: msg, Data: page})
}

// totpOfferSubmit is POST /console/account/totp/new: a fresh key to scan.
func (s *Auth) totpOfferSubmit(c *gin.Context) { s.renderAccount(c, http.StatusOK, true, "") }

// totpConfirmSubmit is POST /console/account/totp: the offered key and a code
// from the app; the second factor is on once the code matches.
func (s *Auth) totpConfirmSubmit(c *gin.Context) {
	u := httpx.UserOf(c)
	secret, code := c.PostForm("secret"), strings.TrimSpace(c.PostForm("code"))
	exp, _ := strconv.ParseInt(c.PostForm("expires"), 10, 64)
	if !hmac.Equal([]byte(c.PostForm("mac")), []byte(s.totpOffer(u, secret, exp))) || s.Now().Unix() > exp {
		s.renderAccount(c, http.StatusUnprocessableEntity, false, "启用页面已过期，请重新点击“启用两步验证”")
		return
	}
	fresh, err := s.App.EnableSecondFactor(c.Request.Context(), s.Actor(c), secret, code)
	if err == nil {
		err = s.startSession(c, fresh)
	}
	if err != nil {
		s.accountRefusal(c, err)
		return
	}
	httpx.Redirect(c, "/console/account?ok=totp-on")
}

// totpOffSubmit is POST /console/account/totp/off: the password and a current
// code turn the second factor off.
func (s *Auth) totpOffSubmit(c *gin.Context) {
	fresh, err := s.App.DisableSecondFactor(c.Request.Context(), s.Actor(c), c.PostForm("password"), c.PostForm("code"))
	if err == nil {
		err = s.startSession(c, fresh)
	}
	if err != nil {
		s.accountRefusal(c, err)
		return
	}
	httpx.Redirect(c, "/console/account?ok=totp-off")
}

// accountRefusal shows the account page again with a refusal below 500,
// the error page otherwise.
func (s *Auth) accountRefusal(c *gin.Context, err error) {
	e := s.Out.Error(err)
	if e.Status >= 500 {
		s.Out.Fail(c, e)
		return
	}
	e.SetRetryAfter(c)
	s.renderAccount(c, e.Status, false, e.Msg)
}

// changeOwnPassword changes the logged-in user's password through the
// application layer (which ends every session of theirs) and starts a fresh
// session for this client.
func (s *Auth) changeOwnPassword(c *gin.Context, old, new, again string) error {
	u, err := s.App.ChangePassword(c.Request.Context(), s.Actor(c), old, new, again)
	if err != nil {
		return err
	}
	return s.startSession(c, u)
}

// accountPage is GET /console/account.
func (s *Auth) accountPage(c *gin.Context) { s.renderAccount(c, http.StatusOK, false, "") }

// passwordSubmit is POST /console/account/password.
func (s *Auth) passwordSubmit(c *gin.Context) {
	if err := s.changeOwnPassword(c, c.PostForm("old"), c.PostForm("new"), c.PostForm("again")); err != nil {
		e := s.Out.Error(err)
		e.SetRetryAfter(c)
		s.renderAccount(c, e.Status, false, e.Msg)
		return
	}
	httpx.Redirect(c, "/console/account?ok=password")
}

// apiChangePassword is PUT /api/v1/account/password. The session is replaced:
// the answer carries the new CSRF token (and the response the new cookie).
func (s *Auth) apiChangePassword(c *gin.Context) {
	var in struct {
		Old string `json:"old"`
		New string `json:"new"`
	}
	if err := httpx.ReadJSON(c, &in); err != nil {
		s.Out.Fail(c, err)
		return
	}
	if err := s.changeOwnPassword(c, in.Old, in.New, in.New); err != nil {
		s.Out.Fail(c, err)
		return
	}
	c.JSON(http.StatusOK, sessionJSON{User: httpx.UserOf(c), CSRFToken: httpx.SessionOf(c).CSRF})
}
