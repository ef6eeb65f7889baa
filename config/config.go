// Package config parses and validates renke's configuration in one place:
// command-line flags first, then RENKE_* environment variables, then defaults.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"renke/signing"
)

// Config is everything a renke process needs to know.
type Config struct {
	Addr      string // HTTP listen address (serve only)
	DataDir   string // where the embedded store, the secret and the lock live
	MongoURI  string // empty: embedded FerretDB under DataDir/mongo
	RedisURL  string // empty: in-process miniredis
	Database  string // MongoDB database name
	PublicURL string // base of the URLs printed in QR codes; empty when not known (not serve)
	// PublicURLFrom says where PublicURL came from: FromFlag, FromEnv, FromFile,
	// FromAddr (serve's default) or FromNone.
	PublicURLFrom string
	Secret        []byte // HMAC key for address hashes and sessions
	// Signing signs chain checkpoints and evaluator packages (RENKE_SIGNING_KEY
	// or <data>/signing.key); every replica must share it.
	Signing  *signing.Key
	LogLevel slog.Level // minimum log level
	Limits   Limits     // submission rate limits
	// TrustedProxies are the proxy addresses (CIDR or IP) whose X-Forwarded-For is believed.
	TrustedProxies []string
	// ShutdownTimeout bounds how long in-flight requests may drain.
	ShutdownTimeout time.Duration
	// ReportCache is how many surveys' responses a server keeps for reports.
	ReportCache int
	// ReportCacheResponses bounds the responses kept for reports over all
	// surveys (about 2 KB each: the default 150,000 is about 300 MB), so a
	// city's 38 counties of 2,000 stay cached and one huge survey cannot
	// exhaust memory.
	ReportCacheResponses int
}

// Limits are the submission rate limits, per minute.
type Limits struct {
	PerAddr   int // per hashed client address
	PerCode   int // per access code
	PerSurvey int // per survey
}

// Flags registers the shared flags on fs and returns a function that
// finishes the configuration (env, defaults, validation) once fs is parsed.
// serve adds the server-only flags (addr, public URL).
func Flags(fs *flag.FlagSet, serve bool) func() (*Config, error) {
	return flags(fs, serve, os.Getenv)
}

// flags is Flags reading the environment through getenv.
func flags(fs *flag.FlagSet, serve bool, getenv func(string) string) func() (*Config, error) {
	c := &Config{}
	var level, trusted string
	fs.StringVar(&c.DataDir, "data", "", "data directory (env RENKE_DATA, default ./data)")
	fs.StringVar(&c.MongoURI, "mongo", "", "MongoDB URI (env RENKE_MONGO_URI; empty: embedded FerretDB)")
	fs.StringVar(&c.RedisURL, "redis", "", "Redis URL (env RENKE_REDIS_URL; empty: in-process Redis)")
	fs.StringVar(&level, "log-level", "", "debug, info, warn or error (env RENKE_LOG_LEVEL, default info)")
	if serve {
		fs.StringVar(&c.Addr, "addr", "", "listen address (env RENKE_ADDR, default 127.0.0.1:8080)")
		fs.StringVar(&c.PublicURL, "public-url", "", "public base URL printed in QR codes (env RENKE_PUBLIC_URL, default http://<addr>)")
		fs.StringVar(&trusted, "trusted-proxies", "", "comma-separated proxy IPs/CIDRs whose X-Forwarded-For is trusted (env RENKE_TRUSTED_PROXIES)")
	} else {
		fs.StringVar(&c.PublicURL, "public-url", "", "public base URL of printed links (env RENKE_PUBLIC_URL, default: the one the server uses, kept in <data>/public-url)")
	}
	return func() (*Config, error) {
		return finish(c, serve, level, trusted, getenv)
	}
}

func finish(c *Config, serve bool, level, trusted string, getenv func(string) string) (*Config, error) {
	pick := func(flagVal, env, def string) string {
		if flagVal != "" {
			return flagVal
		}
		if v := getenv(env); v != "" {
			return v
		}
		return def
	}
	c.Addr = pick(c.Addr, "RENKE_ADDR", "127.0.0.1:8080")
	c.DataDir = pick(c.DataDir, "RENKE_DATA", "./data")
	c.MongoURI = pick(c.MongoURI, "RENKE_MONGO_URI", "")
	c.RedisURL = pick(c.RedisURL, "RENKE_REDIS_URL", "")
	c.Database = pick("", "RENKE_DATABASE", "renke")
	switch {
	case c.PublicURL != "":
		c.PublicURLFrom = FromFlag
	case getenv("RENKE_PUBLIC_URL") != "":
		c.PublicURL, c.PublicURLFrom = getenv("RENKE_PUBLIC_URL"), FromEnv
	case serve:
		c.PublicURL, c.PublicURLFrom = "http://"+c.Addr, FromAddr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	level = pick(level, "RENKE_LOG_LEVEL", "info")
	trusted = pick(trusted, "RENKE_TRUSTED_PROXIES", "")
	c.ShutdownTimeout = 20 * time.Second

	var errs []error
	if err := checkAddr(c.Addr); err != nil {
		errs = append(errs, err)
	}
	if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
		errs = append(errs, fmt.Errorf("log level %q: want debug, info, warn or error", level))
	}
	if err := checkURI("RENKE_MONGO_URI", c.MongoURI, "mongodb", "mongodb+srv"); err != nil {
		errs = append(errs, err)
	}
	if err := checkURI("RENKE_REDIS_URL", c.RedisURL, "redis", "rediss", "unix"); err != nil {
		errs = append(errs, err)
	}
	if c.PublicURLFrom != FromNone {
		if _, err := ParsePublicURL(c.PublicURL); err != nil {
			errs = append(errs, err)
		}
	}
	for _, p := range splitList(trusted) {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				errs = append(errs, fmt.Errorf("trusted proxy %q: not an IP address or CIDR", p))
				continue
			}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	var err error
	if c.Limits, err = parseLimits(getenv); err != nil {
		errs = append(errs, err)
	}
	c.ReportCache = 64
	if v := getenv("RENKE_REPORT_CACHE"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 10000 {
			errs = append(errs, fmt.Errorf("RENKE_REPORT_CACHE=%q: want the number of surveys whose responses a server keeps for reports, 1 to 10000", v))
		} else {
			c.ReportCache = n
		}
	}
	c.ReportCacheResponses = 150000
	if v := getenv("RENKE_REPORT_CACHE_RESPONSES"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1000 || n > 100000000 {
			errs = append(errs, fmt.Errorf("RENKE_REPORT_CACHE_RESPONSES=%q: want how many responses a server keeps for reports over all surveys, 1000 to 100000000", v))
		} else {
			c.ReportCacheResponses = n
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if err := prepareDataDir(c.DataDir); err != nil {
		return nil, err
	}
	if c.PublicURLFrom == FromNone {
		if c.PublicURL, err = ReadPublicURL(c.DataDir); err != nil {
			return nil, err
		}
		if c.PublicURL != "" {
			c.PublicURLFrom = FromFile
		}
	}
	if c.Secret, err = loadSecret(c.DataDir, getenv("RENKE_SECRET")); err != nil {
		return nil, err
	}
	if c.Signing, err = signing.Load(c.DataDir, getenv("RENKE_SIGNING_KEY")); err != nil {
		return nil, err
	}
	return c, nil
}

func checkAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: want host:port, e.g. 127.0.0.1:8080", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("listen address %q: port %q is not a number from 0 to 65535", addr, port)
	}
	if host != "" && host != "localhost" && net.ParseIP(host) == nil {
		return fmt.Errorf("listen address %q: host %q is not an IP address", addr, host)
	}
	return nil
}

func checkURI(name, uri string, schemes ...string) error {
	if uri == "" {
		return nil
	}
	u, err := url.Parse(uri)
	if err != nil {
		// url.Error quotes the whole URI, password included: give only why.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("%s: malformed URI (%v): want %s://host[:port]", name, err, schemes[0])
	}
	for _, s := range schemes {
		if u.Scheme == s && (u.Host != "" || s == "unix") {
			return nil
		}
	}
	return fmt.Errorf("%s: malformed URI %q: want %s://host[:port]", name, redact(u), schemes[0])
}

// redact hides a password in a URI before it is printed.
func redact(u *url.URL) string {
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

func parseLimits(getenv func(string) string) (Limits, error) {
	l := Limits{PerAddr: 120, PerCode: 600, PerSurvey: 6000}
	for _, f := range []struct {
		env string
		dst *int
	}{{"RENKE_LIMIT_ADDR", &l.PerAddr}, {"RENKE_LIMIT_CODE", &l.PerCode}, {"RENKE_LIMIT_SURVEY", &l.PerSurvey}} {
		v := getenv(f.env)
		if v == "" {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return l, fmt.Errorf("%s=%q: want a positive number of submissions per minute", f.env, v)
		}
		*f.dst = n
	}
	return l, nil
}

func prepareDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("data directory %q: cannot create: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data directory %q: not writable: %w", dir, err)
	}
	f.Close()
	return os.Remove(f.Name())
}

// loadSecret returns RENKE_SECRET, or the secret kept under the data dir,
// generating and keeping one when there is none.
func loadSecret(dir, env string) ([]byte, error) {
	if env != "" {
		if len(env) < 16 {
			return nil, errors.New("RENKE_SECRET: must be at least 16 characters")
		}
		return []byte(env), nil
	}
	path := filepath.Join(dir, "secret")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read secret %s: %w", path, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("generate secret: %w", err)
	}
	s := hex.EncodeToString(raw)
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep secret in %s: %w", path, err)
	}
	return []byte(s), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
