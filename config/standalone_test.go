package config

import (
	"flag"
	"strings"
	"testing"
)

func TestPublicURLFlag(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		env, want string
		bad       bool
	}{
		{args: []string{"--public-url", "https://a.example.cn/"}, env: "https://b.example.cn", want: "https://a.example.cn"},
		{env: "http://10.0.0.5:8080", want: "http://10.0.0.5:8080"},
		{bad: true},
		{args: []string{"--public-url", "renke.example.cn"}, bad: true},
	} {
		fs := flag.NewFlagSet("sheets", flag.ContinueOnError)
		finish := publicURLFlag(fs, func(k string) string {
			if k == "RENKE_PUBLIC_URL" {
				return tc.env
			}
			return ""
		})
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		got, err := finish()
		if tc.bad {
			if err == nil || !strings.Contains(err.Error(), "RENKE_PUBLIC_URL") {
				t.Errorf("%v %q: got %q, %v; want an error naming the variable", tc.args, tc.env, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%v %q: got %q, %v; want %q", tc.args, tc.env, got, err, tc.want)
		}
	}
}

// TestPublicURLFlagReadsTheServersFile: with no flag and no environment the
// sheets take the URL the server of --data (or RENKE_DATA) wrote.
func TestPublicURLFlagReadsTheServersFile(t *testing.T) {
	dir := t.TempDir()
	if err := WritePublicURL(dir, "http://192.0.2.7:8090"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		env  map[string]string
	}{{args: []string{"--data", dir}}, {env: map[string]string{"RENKE_DATA": dir}}} {
		fs := flag.NewFlagSet("sheets", flag.ContinueOnError)
		finish := publicURLFlag(fs, func(k string) string { return tc.env[k] })
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if got, err := finish(); err != nil || got != "http://192.0.2.7:8090" {
			t.Errorf("%v %v: got %q, %v", tc.args, tc.env, got, err)
		}
	}
	fs := flag.NewFlagSet("sheets", flag.ContinueOnError)
	finish := publicURLFlag(fs, func(string) string { return "" })
	if err := fs.Parse([]string{"--data", t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	if got, err := finish(); err == nil || !strings.Contains(err.Error(), PublicURLFile) {
		t.Errorf("no server file: got %q, %v; want a refusal naming %s", got, err, PublicURLFile)
	}
}

func TestMongoGiven(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want bool
	}{
		{want: false},
		{args: []string{"--mongo", "mongodb://db:27017"}, want: true},
		{env: "mongodb://db:27017", want: true},
	} {
		fs := flag.NewFlagSet("bench", flag.ContinueOnError)
		flags(fs, false, func(string) string { return "" })
		if err := fs.Parse(tc.args); err != nil {
			t.Fatal(err)
		}
		if got := mongoGiven(fs, func(string) string { return tc.env }); got != tc.want {
			t.Errorf("%v RENKE_MONGO_URI=%q: got %v, want %v", tc.args, tc.env, got, tc.want)
		}
	}
}
