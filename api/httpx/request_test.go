package httpx

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"syscall"
	"testing"
)

func TestClientGone(t *testing.T) {
	live := context.Background()
	canceled, cancel := context.WithCancel(live)
	cancel()
	write := func(errno error) error {
		return fmt.Errorf("template: form.html: %w", &net.OpError{Op: "write", Net: "tcp", Err: os.NewSyscallError("write", errno)})
	}
	cases := []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"broken pipe", live, write(syscall.EPIPE), true},
		{"connection reset", live, write(syscall.ECONNRESET), true},
		{"request canceled", canceled, errors.New("short write"), true},
		{"template fault", live, errors.New(`template: form.html:3: executing "form" at <.X>: can't evaluate field X`), false},
		{"disk full", live, write(syscall.ENOSPC), false},
	}
	for _, c := range cases {
		if got := ClientGone(c.ctx, c.err); got != c.want {
			t.Errorf("%s: clientGone = %v, want %v", c.name, got, c.want)
		}
	}
}
