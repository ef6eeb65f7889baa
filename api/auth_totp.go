package api

import (
	"crypto/hmac"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/skip2/go-qrcode"

	"renke/account"
	"renke/survey"
	"renke/web/console"
)

// errBadTOTP refuses a wrong or already used authenticator code; login
// counts it as a failed attempt.
var errBadTOTP = cerr(http.StatusUnauthorized, account.ErrBadTOTP.Error())

// secondFactor checks the authenticator code of a user who has the second
// factor on (nothing for one who has not). A code serves one login: a
// second use of its time step, or a code of an earlier step once a later
// one was used, is refused like a wrong code (the marks are in the store).
func (s *Server) secondFactor(c *gin.Context, u *account.User, code string) error {
	if !u.TwoFactor() {
		return nil
	}
	code = strings.TrimSpace(code)
	if code == "" {
		return cerr(http.StatusUnauthorized, account.ErrTOTPRequired.Error())
	}
	secret, err := account.OpenTOTP(s.cfg.Secret, u.ID, u.TOTPSecret)
	if err != nil {
		return err
	}
	step, err := account.CheckTOTP(secret, code, s.now())
	if errors.Is(err, account.ErrBadTOTP) {
		return errBadTOTP
	}
	if err != nil {
		return err
	}
	fresh, err := s.store.UseTOTPStep(c.Request.Context(), u.ID, step, s.now())
	if err != nil {
		return err
	}
	if !fresh {
		return errBadTOTP
	}
	return nil
}

// totpOfferTTL is how long an offered authenticator key may be confirmed.
const totpOfferTTL = 10 * time.Minute

// totpOffer signs an offered key for the user until exp, so the page that
// confirms it needs no server-side state.
func (s *Server) totpOffer(u *account.User, secret string, exp int64) string {
	return s.sign("totp-offer", u.ID+"|"+secret+"|"+strconv.FormatInt(exp, 10))
}

// accountView is the account page's data: the offered key while enrolling.
func (s *Server) accountView(u *account.User, offer bool) (*console.AccountPage, error) {
	page := &console.AccountPage{TwoFactor: u.TwoFactor()}
	if !offer || u.TwoFactor() {
		return page, nil
	}
	secret, url, err := account.NewTOTPSecret(u.Name)
	if err != nil {
		return nil, err
	}
	png, err := qrcode.Encode(url, qrcode.Medium, 256)
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
	page, err := s.accountView(userOf(c), offer)
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
	step, err := account.CheckTOTP(secret, code, s.now())
	fresh := false
	if err == nil {
		if fresh, err = s.store.UseTOTPStep(c.Request.Context(), u.ID, step, s.now()); err != nil {
			s.fail(c, err)
			return
		}
	}
	if !fresh {
		s.renderAccount(c, http.StatusUnprocessableEntity, false, "验证码不正确或已用过：请等验证器显示新的数字后再填写")
		return
	}
	if err := s.setTOTP(c, u.ID, secret, "启用两步验证"); err != nil {
		s.fail(c, err)
		return
	}
	redirect(c, "/console/account?ok=totp-on")
}

// totpOffSubmit is POST /console/account/totp/off: the password and a current
// code turn the second factor off.
func (s *Server) totpOffSubmit(c *gin.Context) {
	u := userOf(c)
	if err := s.checkOwnPassword(c, u, c.PostForm("password")); err != nil {
		e := s.asConsoleError(err)
		s.renderAccount(c, e.status, false, e.msg)
		return
	}
	if err := s.secondFactor(c, u, c.PostForm("code")); err != nil {
		s.renderAccount(c, http.StatusUnprocessableEntity, false, s.asConsoleError(err).msg)
		return
	}
	if err := s.setTOTP(c, u.ID, "", "关闭两步验证"); err != nil {
		s.fail(c, err)
		return
	}
	redirect(c, "/console/account?ok=totp-off")
}

// setTOTP stores the user's authenticator key ("" turns the factor off),
// ends every session of the user but a fresh one for this client (as a
// password change does), and audits the change (never the key).
func (s *Server) setTOTP(c *gin.Context, userID, secret, note string) error {
	ctx := c.Request.Context()
	u, err := s.store.User(ctx, userID)
	if err != nil {
		return err
	}
	prev := *u
	u.TOTPSecret, u.Updated = "", survey.TruncateTime(s.now())
	if secret != "" {
		if u.TOTPSecret, err = account.SealTOTP(s.cfg.Secret, u.ID, secret); err != nil {
			return err
		}
	}
	if err := s.store.UpdateUser(ctx, u, prev); err != nil {
		return err
	}
	if _, err := s.kv.EndUserSessions(ctx, u.ID); err != nil {
		return errStoreDown
	}
	if err := s.startSession(c, u); err != nil {
		return err
	}
	return s.audited(c, account.ActUserTwoFactor, auditScope{Target: u.Name, Note: note},
		map[string]bool{"two_factor": prev.TwoFactor()}, map[string]bool{"two_factor": u.TwoFactor()})
}
