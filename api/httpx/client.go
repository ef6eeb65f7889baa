package httpx

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

// Client tells who a request comes from: keyed hashes of its address,
// signed cookies, whether its cookies must be Secure.
type Client struct {
	// Secret keys the hashes and signatures.
	Secret []byte
	// PublicURL is the server's public address (https makes cookies Secure).
	PublicURL string
}

// AddrHash is the keyed hash of the client address kept with a response.
func (k Client) AddrHash(c *gin.Context) string {
	m := hmac.New(sha256.New, k.Secret)
	m.Write([]byte("addr:" + c.ClientIP()))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// Sign is the MAC of v for a purpose (kind), for cookies and form tokens.
func (k Client) Sign(kind, v string) string {
	m := hmac.New(sha256.New, k.Secret)
	m.Write([]byte(kind + ":" + v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))[:22]
}

// Secure says whether cookies must be Secure: the public URL is https or
// the request came over TLS.
func (k Client) Secure(c *gin.Context) bool {
	return c.Request.TLS != nil || strings.HasPrefix(k.PublicURL, "https://")
}

// RandomID returns n random bytes as URL-safe base64.
func RandomID(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// Device returns the client's device id from its signed cookie, issuing a new
// one (and setting the cookie) when the cookie is absent or forged.
func (k Client) Device(c *gin.Context) string {
	if id := k.KnownDevice(c); id != "" {
		return id
	}
	id := RandomID(16)
	http.SetCookie(c.Writer, &http.Cookie{
		Name: deviceCookie, Value: id + "." + k.Sign("dev", id), Path: "/",
		MaxAge: 180 * 24 * 3600, HttpOnly: true, Secure: k.Secure(c),
		SameSite: http.SameSiteLaxMode,
	})
	return id
}

// KnownDevice is the device id of a valid device cookie, or "" (no cookie is set).
func (k Client) KnownDevice(c *gin.Context) string {
	v, err := c.Cookie(deviceCookie)
	if err != nil {
		return ""
	}
	if id, mac, ok := strings.Cut(v, "."); ok && hmac.Equal([]byte(mac), []byte(k.Sign("dev", id))) {
		return id
	}
	return ""
}
