package config

import (
	"cmp"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
)

// The environment read by commands that run without the shared
// configuration (Flags): they register their own flags and read the
// environment here, so every RENKE_* variable is parsed in this package.

// PublicURLFlag registers --public-url and --data on fs for a command that
// prints links without serving them (renke sheets) and returns a function that,
// once fs is parsed, gives the flag, else RENKE_PUBLIC_URL, else the URL the
// server of the data directory (--data, RENKE_DATA, ./data) wrote to its
// public-url file, checked as an absolute http(s) address without a trailing
// slash. With none of them it refuses rather than guess (ErrNoPublicURL).
func PublicURLFlag(fs *flag.FlagSet) func() (string, error) {
	return publicURLFlag(fs, os.Getenv)
}

func publicURLFlag(fs *flag.FlagSet, getenv func(string) string) func() (string, error) {
	v := fs.String("public-url", "", "public base URL in the QR codes (env RENKE_PUBLIC_URL, default: the one the server of --data uses, kept in <data>/public-url)")
	data := fs.String("data", "", "data directory whose server's public URL the QR codes use (env RENKE_DATA, default ./data)")
	return func() (string, error) {
		base := *v
		if base == "" {
			base = getenv("RENKE_PUBLIC_URL")
		}
		if base == "" {
			dir := cmp.Or(*data, getenv("RENKE_DATA"), "./data")
			u, err := ReadPublicURL(dir)
			if err != nil {
				return "", err
			}
			if u == "" {
				return "", fmt.Errorf("the QR codes' address is not known (no %s in the data directory %s): %w", PublicURLFile, dir, ErrNoPublicURL)
			}
			return u, nil
		}
		base = strings.TrimRight(strings.TrimSpace(base), "/")
		if u, err := url.Parse(base); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("public URL %q (--public-url or RENKE_PUBLIC_URL): want http(s)://host[:port]", base)
		}
		return base, nil
	}
}

// MongoGiven reports whether a MongoDB URI was given for fs's command,
// by its --mongo flag (registered by Flags) or by RENKE_MONGO_URI: when
// none was, the command runs on an embedded store of its own.
func MongoGiven(fs *flag.FlagSet) bool { return mongoGiven(fs, os.Getenv) }

func mongoGiven(fs *flag.FlagSet, getenv func(string) string) bool {
	if f := fs.Lookup("mongo"); f != nil && f.Value.String() != "" {
		return true
	}
	return getenv("RENKE_MONGO_URI") != ""
}
