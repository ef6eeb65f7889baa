package config

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parseCommand runs the configuration as a command other than serve does.
func parseCommand(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("codes", flag.ContinueOnError)
	finish := flags(fs, false, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return finish()
}

// TestPublicURLOfCommands: commands other than serve take --public-url, then
// RENKE_PUBLIC_URL, then the URL the server kept under the data directory, and
// never guess one from a listen address.
func TestPublicURLOfCommands(t *testing.T) {
	dir := t.TempDir()
	c, err := parseCommand(t, []string{"--data", dir}, map[string]string{"RENKE_ADDR": "127.0.0.1:8080"})
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "" || c.PublicURLFrom != FromNone {
		t.Fatalf("no server, no flag: public URL %q (%q), want none", c.PublicURL, c.PublicURLFrom)
	}
	if err := WritePublicURL(dir, "http://192.168.1.20:8090/"); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, PublicURLFile)); string(b) != "http://192.168.1.20:8090\n" {
		t.Fatalf("kept %q", b)
	}
	c, err = parseCommand(t, []string{"--data", dir}, nil)
	if err != nil || c.PublicURL != "http://192.168.1.20:8090" || c.PublicURLFrom != FromFile {
		t.Fatalf("from the server's file: %q %q %v", c.PublicURL, c.PublicURLFrom, err)
	}
	c, err = parseCommand(t, []string{"--data", dir}, map[string]string{"RENKE_PUBLIC_URL": "https://survey.example.cn"})
	if err != nil || c.PublicURL != "https://survey.example.cn" || c.PublicURLFrom != FromEnv {
		t.Fatalf("env: %q %q %v", c.PublicURL, c.PublicURLFrom, err)
	}
	c, err = parseCommand(t, []string{"--data", dir, "--public-url", "https://a.example.cn/"}, map[string]string{"RENKE_PUBLIC_URL": "https://survey.example.cn"})
	if err != nil || c.PublicURL != "https://a.example.cn" || c.PublicURLFrom != FromFlag {
		t.Fatalf("flag: %q %q %v", c.PublicURL, c.PublicURLFrom, err)
	}
	if _, err := parseCommand(t, []string{"--data", dir, "--public-url", "a.example.cn"}, nil); err == nil || !strings.Contains(err.Error(), "want http(s)://host") {
		t.Fatalf("a bad flag: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, PublicURLFile), []byte("not a url\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := parseCommand(t, []string{"--data", dir}, nil); err == nil || !strings.Contains(err.Error(), PublicURLFile) {
		t.Fatalf("a bad file: %v", err)
	}
	// serve's default stays http://<addr>.
	c, err = parse(t, []string{"--data", dir, "--addr", "0.0.0.0:8090"}, nil)
	if err != nil || c.PublicURL != "http://0.0.0.0:8090" || c.PublicURLFrom != FromAddr {
		t.Fatalf("serve: %q %q %v", c.PublicURL, c.PublicURLFrom, err)
	}
}
