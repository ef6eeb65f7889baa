// Package e2e runs real renke processes on loopback against real stores:
// several replicas over one store, kills, restarts and store outages.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"renke/internal/testenv"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "renke-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "renke")
	build := exec.Command("go", "build", "-race", "-o", binary, "renke/cmd/renke")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build renke:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running `renke serve`.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string
	log  *bytes.Buffer
	args []string
	env  []string
}

// serve starts `renke serve` with extra environment and waits until /readyz is 200.
func serve(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	port := testenv.FreePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	p := &proc{t: t, base: "http://" + addr, env: env,
		args: append([]string{"serve", "--addr", addr}, args...)}
	p.start()
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *proc) start() {
	p.t.Helper()
	p.log = &bytes.Buffer{}
	p.cmd = exec.Command(binary, p.args...)
	p.cmd.Env = append(os.Environ(), p.env...)
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		p.t.Fatalf("start renke: %v", err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("renke did not become ready at %s; log:\n%s", p.base, p.log.String())
}

// kill sends SIGKILL and reaps the process.
func (p *proc) kill() {
	if p.cmd != nil && p.cmd.Process != nil && p.cmd.ProcessState == nil {
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}
}

// stop sends SIGTERM and waits for a clean exit.
func (p *proc) stop() error {
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(40 * time.Second):
		p.cmd.Process.Kill()
		return fmt.Errorf("renke did not stop within 40 s")
	}
}

// renke runs a one-shot command with the environment and returns stdout.
func renke(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("renke %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

// submit posts a JSON submission, optionally as a forwarded client address.
func submit(ctx context.Context, client *http.Client, base, code string, body []byte, fwd string) (int, map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/codes/"+code+"/responses", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if fwd != "" {
		req.Header.Set("X-Forwarded-For", fwd)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return resp.StatusCode, out, nil
}

// submitKeyed posts a submission with an Idempotency-Key, as the respondent page does.
func submitKeyed(client *http.Client, base, code string, body []byte, fwd, key string) (int, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/codes/"+code+"/responses", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	req.Header.Set("X-Forwarded-For", fwd)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode == http.StatusConflict && resp.Header.Get("X-Already-Recorded") == "1" {
		return http.StatusCreated, nil
	}
	return resp.StatusCode, nil
}
