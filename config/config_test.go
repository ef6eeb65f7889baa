package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parse runs the configuration as `renke serve` does, with args and env.
func parse(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	finish := flags(fs, true, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return finish()
}

func TestDefaultsAndKeptSecret(t *testing.T) {
	dir := t.TempDir()
	c, err := parse(t, []string{"--data", dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.PublicURL != "http://127.0.0.1:8080" || c.MongoURI != "" || c.RedisURL != "" ||
		c.Database != "renke" || c.Limits != (Limits{120, 600, 6000}) || c.ReportCache != 64 || c.ReportCacheResponses != 150000 || len(c.Secret) != 64 {
		t.Fatalf("defaults: %+v", c)
	}
	again, err := parse(t, []string{"--data", dir}, nil)
	if err != nil || string(again.Secret) != string(c.Secret) {
		t.Fatalf("the generated secret is not kept under the data dir: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "secret")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", fi, err)
	}
	// Flags win over the environment, which wins over defaults.
	c, err = parse(t, []string{"--data", dir, "--addr", "0.0.0.0:9000"}, map[string]string{
		"RENKE_ADDR": "127.0.0.1:1", "RENKE_PUBLIC_URL": "https://survey.example.cn/", "RENKE_REPORT_CACHE": "48",
		"RENKE_SECRET": "a-secret-of-enough-length", "RENKE_LIMIT_ADDR": "300"})
	if err != nil || c.Addr != "0.0.0.0:9000" || c.PublicURL != "https://survey.example.cn" || c.ReportCache != 48 ||
		string(c.Secret) != "a-secret-of-enough-length" || c.Limits.PerAddr != 300 {
		t.Fatalf("flags and env: %+v %v", c, err)
	}
}

// TestEachBadValueHasItsOwnLine: every bad value is named on a line of its
// own, and all of them are reported at once.
func TestEachBadValueHasItsOwnLine(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--addr", "8080"}, nil, `listen address "8080": want host:port`},
		{[]string{"--addr", "127.0.0.1:99999"}, nil, `port "99999" is not a number from 0 to 65535`},
		{[]string{"--addr", "example.com:80"}, nil, `host "example.com" is not an IP address`},
		{[]string{"--mongo", "http://db:27017"}, nil, `RENKE_MONGO_URI: malformed URI "http://db:27017": want mongodb://host[:port]`},
		{[]string{"--mongo", "mongodb://user:hunter2@db:%zz"}, nil, "RENKE_MONGO_URI: malformed URI"},
		{nil, map[string]string{"RENKE_REDIS_URL": "redis//nohost"}, "RENKE_REDIS_URL: malformed URI"},
		{[]string{"--public-url", "survey.example.cn"}, nil, `public URL "survey.example.cn": want http(s)://host[:port]`},
		{[]string{"--trusted-proxies", "10.0.0.0/8, proxy.local"}, nil, `trusted proxy "proxy.local": not an IP address or CIDR`},
		{[]string{"--log-level", "loud"}, nil, `log level "loud": want debug, info, warn or error`},
		{nil, map[string]string{"RENKE_LIMIT_CODE": "-5"}, `RENKE_LIMIT_CODE="-5": want a positive number`},
		{nil, map[string]string{"RENKE_REPORT_CACHE": "0"}, `RENKE_REPORT_CACHE="0": want the number of surveys`},
		{nil, map[string]string{"RENKE_SECRET": "short"}, "RENKE_SECRET: must be at least 16 characters"},
	}
	for _, c := range cases {
		_, err := parse(t, append([]string{"--data", dir}, c.args...), c.env)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: got %v, want %q", c.args, c.env, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "\n") {
			t.Errorf("%v %v: one bad value gave more than one line: %q", c.args, c.env, err)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("a password in a URI was printed: %q", err)
		}
	}
	_, err := parse(t, []string{"--data", dir, "--addr", "x", "--log-level", "loud", "--public-url", "ftp://h"}, nil)
	if err == nil || len(strings.Split(err.Error(), "\n")) != 3 {
		t.Errorf("three bad values: want three lines, got %q", err)
	}
}

func TestUnwritableDataDir(t *testing.T) {
	if os.Geteuid() == 0 {
		// root writes anywhere: use a path under a regular file instead.
		f := filepath.Join(t.TempDir(), "file")
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := parse(t, []string{"--data", filepath.Join(f, "data")}, nil); err == nil ||
			!strings.Contains(err.Error(), "cannot create") {
			t.Fatalf("a data dir under a file: %v", err)
		}
		return
	}
	dir := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	if _, err := parse(t, []string{"--data", dir}, nil); err == nil || !strings.Contains(err.Error(), "not writable") {
		t.Fatalf("a read-only data dir: %v", err)
	}
}
