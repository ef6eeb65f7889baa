// Package deploy_test checks the deployment files that no Go code reads.
package deploy_test

import (
	"os"
	"strings"
	"testing"
)

// block is one brace-delimited block of an nginx configuration: its header
// ("server", "location ^~ /static/"), its own directives and its children.
type block struct {
	head     string
	lines    []string
	children []*block
}

// parseNginx splits a configuration into nested blocks, dropping comments.
func parseNginx(t *testing.T, text string) *block {
	t.Helper()
	root := &block{head: "main"}
	stack := []*block{root}
	for _, raw := range strings.Split(text, "\n") {
		line := raw
		if i := strings.Index(line, "#"); i >= 0 && !strings.Contains(line[:i], "'") {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		switch {
		case line == "":
		case strings.HasSuffix(line, "{"):
			b := &block{head: strings.TrimSpace(strings.TrimSuffix(line, "{"))}
			top := stack[len(stack)-1]
			top.children = append(top.children, b)
			stack = append(stack, b)
		case line == "}":
			stack = stack[:len(stack)-1]
		default:
			stack[len(stack)-1].lines = append(stack[len(stack)-1].lines, line)
		}
	}
	if len(stack) != 1 {
		t.Fatalf("unbalanced braces in nginx.conf")
	}
	return root
}

func (b *block) has(prefix string) bool {
	for _, l := range b.lines {
		if strings.HasPrefix(l, prefix) {
			return true
		}
	}
	return false
}

func (b *block) walk(f func(*block)) {
	f(b)
	for _, c := range b.children {
		c.walk(f)
	}
}

// TestNginxHSTS: the TLS server sends Strict-Transport-Security on every
// response, including from locations with add_header lines of their own
// (nginx then drops the server's add_header lines).
func TestNginxHSTS(t *testing.T) {
	text, err := os.ReadFile("nginx/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	const hsts = `add_header Strict-Transport-Security "max-age=`
	tls := 0
	parseNginx(t, string(text)).walk(func(srv *block) {
		if srv.head != "server" || !srv.has("listen 443 ssl") {
			return
		}
		tls++
		if !srv.has(hsts) {
			t.Errorf("the TLS server sets no %s…", hsts)
		}
		srv.walk(func(loc *block) {
			if loc != srv && loc.has("add_header ") && !loc.has(hsts) {
				t.Errorf("%s has add_header lines of its own but no HSTS line: it sends no HSTS", loc.head)
			}
		})
	})
	if tls == 0 {
		t.Fatal("no server block listens on 443 ssl")
	}
}
