package api

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// deviceCookie carries a random device id, signed so a forged one is ignored.
const deviceCookie = "renke_dev"

// addrHash is the keyed hash of the client address kept with a response.
func (s *Server) addrHash(c *gin.Context) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte("addr:" + c.ClientIP()))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

func (s *Server) sign(kind, v string) string {
	m := hmac.New(sha256.New, s.cfg.Secret)
	m.Write([]byte(kind + ":" + v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:22]
}

// randomID returns n random bytes as URL-safe base64.
func randomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// device returns the client's device id from its signed cookie, issuing a new
// one (and setting the cookie) when the cookie is absent or forged.
func (s *Server) device(c *gin.Context) string {
	if v, err := c.Cookie(deviceCookie); err == nil {
		if id, mac, ok := strings.Cut(v, "."); ok && hmac.Equal([]byte(mac), []byte(s.sign("dev", id))) {
			return id
		}
	}
	id := randomID(16)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: deviceCookie, Value: id + "." + s.sign("dev", id), Path: "/",
		MaxAge: 180 * 24 * 3600, HttpOnly: true, Secure: c.Request.TLS != nil || s.secureCookies(),
		SameSite: http.SameSiteLaxMode,
	})
	return id
}

func (s *Server) secureCookies() bool { return strings.HasPrefix(s.cfg.PublicURL, "https://") }
