package api

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
	"renke/web/console"
)

// totpOfferTTL is how long an offered authenticator key may be confirmed.
const totpOfferTTL = 10 * time.Minute

// totpOffer signs an offered key for the user until exp, so the page that
// confirms it needs no server-side state.
func (s *Server) totpOffer(u *account.User, secret string, exp int64) string {
	return s.sign("totp-offer", u.ID+"|"+secret+"|"+strconv.FormatInt(exp, 10))
}

// accountView is the account page's data: the offered key while enrolling.
func (s *Server) accountView(c *gin.Context, offer bool) (*console.AccountPage, error) {
	u := userOf(c)
	page := &console.AccountPage{TwoFactor: u.TwoFactor()}
	if !offer || u.TwoFactor() {
		return page, nil
	}
	o, err := s.app.OfferSecondFactor(c.Request.Context(), s.actor(c))
	if err != nil {
		return nil, err
	}
	secret := o.Secret
	png, err := qrcode.Encode(o.URL, qrcode.Medium, 256)
	if err != nil {
		return nil, fmt.Errorf("authenticator QR code: %w", err)
	}
	exp := s.now().Add(totpOfferTTL).Unix()
	page.Offer = &console.TOTPOffer{Secret: secret, QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)),
		Expires: exp, MAC: s.totpOffer(u, secret, exp)}
	return page, nil
}

// renderAccount shows the account page with an error or flash.
func (s *Server) renderAccount(c *gin.Context, status int, offer bool, msg string) {
	page, err := s.accountView(c, offer)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "account", console.Frame{Title: "我的账号", Nav: "account", Flash: flash(c), Error: msg, Data: page})
}

// totpOfferSubmit is POST /console/account/totp/new: a fresh key to scan.
func (s *Server) totpOfferSubmit(c *gin.Context) { s.renderAccount(c, http.StatusOK, true, "") }

// totpConfirmSubmit is POST /console/account/totp: the offered key and a code
// from the app; the second factor is on once the code matches.
func (s *Server) totpConfirmSubmit(c *gin.Context) {
	u := userOf(c)
	secret, code := c.PostForm("secret"), strings.TrimSpace(c.PostForm("code"))
	exp, _ := strconv.ParseInt(c.PostForm("expires"), 10, 64)
	if !hmac.Equal([]byte(c.PostForm("mac")), []byte(s.totpOffer(u, secret, exp))) || s.now().Unix() > exp {
		s.renderAccount(c, http.StatusUnprocessableEntity, false, "启用页面已过期，请重新点击“启用两步验证”")
		return
	}
	fresh, err := s.app.EnableSecondFactor(c.Request.Context(), s.actor(c), secret, code)
	if err == nil {
		err = s.startSession(c, fresh)
	}
	if err != nil {
		s.accountRefusal(c, err)
		return
	}
	redirect(c, "/console/account?ok=totp-on")
}

// totpOffSubmit is POST /console/account/totp/off: the password and a current
// code turn the second factor off.
func (s *Server) totpOffSubmit(c *gin.Context) {
	fresh, err := s.app.DisableSecondFactor(c.Request.Context(), s.actor(c), c.PostForm("password"), c.PostForm("code"))
	if err == nil {
		err = s.startSession(c, fresh)
	}
	if err != nil {
		s.accountRefusal(c, err)
		return
	}
	redirect(c, "/console/account?ok=totp-off")
}

// accountRefusal shows the account page again with a refusal below 500,
// the error page otherwise.
func (s *Server) accountRefusal(c *gin.Context, err error) {
	e := s.asConsoleError(err)
	if e.status >= 500 {
		s.fail(c, e)
		return
	}
	e.setRetryAfter(c)
	s.renderAccount(c, e.status, false, e.msg)
}
