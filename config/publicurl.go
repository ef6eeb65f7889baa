package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// PublicURLFile is the file under the data directory where `renke serve`
// keeps the public URL it uses, for the other commands to print its links.
const PublicURLFile = "public-url"

// Where a public URL came from (Config.PublicURLFrom).
const (
	FromFlag = "flag" // --public-url
	FromEnv  = "env"  // RENKE_PUBLIC_URL
	FromFile = "file" // <data>/public-url, written by the server
	FromAddr = "addr" // serve's default: http://<listen address>
	FromNone = ""     // not known: no flag, no environment, no server has run
)

// ParsePublicURL checks a public base URL (http(s)://host[:port][/path]) and
// returns it without a trailing slash.
func ParsePublicURL(s string) (string, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("public URL %q: want http(s)://host[:port]", s)
	}
	return s, nil
}

// ReadPublicURL returns the public URL the server last used with data
// directory dir, or "" when no server has written one.
func ReadPublicURL(dir string) (string, error) {
	path := filepath.Join(dir, PublicURLFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read public URL: %w", err)
	}
	u, err := ParsePublicURL(string(b))
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	return u, nil
}

// WritePublicURL keeps the public URL the server uses under dir.
func WritePublicURL(dir, publicURL string) error {
	u, err := ParsePublicURL(publicURL)
	if err != nil {
		return err
	}
	path := filepath.Join(dir, PublicURLFile)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(u+"\n"), 0o644); err != nil {
		return fmt.Errorf("keep public URL in %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("keep public URL in %s: %w", path, err)
	}
	return nil
}

// ErrNoPublicURL says that the links' address is unknown.
var ErrNoPublicURL = errors.New("公开地址未知：先用 renke serve 启动服务器（它会把所用的公开地址记在数据目录的 public-url 文件中），或用 --public-url（环境变量 RENKE_PUBLIC_URL）给出手机访问的地址")
