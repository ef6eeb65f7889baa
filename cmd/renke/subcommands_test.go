package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
)

// fakeTable is a sub-command table whose entries record the arguments they ran with.
func fakeTable(ran map[string][]string) []subcommand {
	entry := func(name string) subcommand {
		return subcommand{name, "ID", "summary of " + name, func(_ context.Context, args []string) error {
			ran[name] = args
			if name == "fail" {
				return errors.New("failed")
			}
			return nil
		}}
	}
	return []subcommand{entry("one"), entry("two"), entry("fail")}
}

// captureOutput points stdout and stderr at buffers until the test ends.
func captureOutput(t *testing.T) (out, errOut *bytes.Buffer) {
	out, errOut = new(bytes.Buffer), new(bytes.Buffer)
	stdout, stderr = out, errOut
	t.Cleanup(func() { stdout, stderr = os.Stdout, os.Stderr })
	return out, errOut
}

func TestSubcommandsDispatch(t *testing.T) {
	captureOutput(t)
	ran := map[string][]string{}
	run := subcommands("thing", fakeTable(ran))
	if err := run(context.Background(), []string{"two", "a", "--b"}); err != nil {
		t.Fatalf("two: %v", err)
	}
	if got := ran["two"]; !slices.Equal(got, []string{"a", "--b"}) || len(ran) != 1 {
		t.Errorf("ran %v, want two with [a --b] only", ran)
	}
	if err := run(context.Background(), []string{"fail"}); err == nil || err.Error() != "failed" {
		t.Errorf("fail: %v, want the entry's own error", err)
	}
}

func TestSubcommandsUnknown(t *testing.T) {
	out, errOut := captureOutput(t)
	ran := map[string][]string{}
	err := subcommands("thing", fakeTable(ran))(context.Background(), []string{"three", "x"})
	want := `unknown thing command "three" (want one, two or fail)`
	if err == nil || err.Error() != want {
		t.Errorf("err %v, want %s", err, want)
	}
	if len(ran) != 0 || out.Len() != 0 || errOut.Len() != 0 {
		t.Errorf("an unknown sub-command ran %v, wrote %q and %q", ran, out, errOut)
	}
}

func TestSubcommandsHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "help"} {
		out, _ := captureOutput(t)
		ran := map[string][]string{}
		if err := subcommands("thing", fakeTable(ran))(context.Background(), []string{arg}); err != nil {
			t.Errorf("%s: %v", arg, err)
		}
		for _, s := range []string{"usage: renke thing <command>", "one   summary of one", "renke thing fail ID"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("%s: usage lacks %q:\n%s", arg, s, out)
			}
		}
		if len(ran) != 0 {
			t.Errorf("%s ran %v", arg, ran)
		}
	}
}

func TestSubcommandsNone(t *testing.T) {
	out, errOut := captureOutput(t)
	err := subcommands("thing", fakeTable(map[string][]string{}))(context.Background(), nil)
	if err == nil || err.Error() != "missing thing command (want one, two or fail)" {
		t.Errorf("err %v", err)
	}
	if out.Len() != 0 || !strings.Contains(errOut.String(), "two   summary of two") {
		t.Errorf("usage went to stdout %q, stderr %q", out, errOut)
	}
}

// TestCommandsHaveSubcommands checks each dispatching command refuses an
// unknown sub-command by name, before opening any store.
func TestCommandsHaveSubcommands(t *testing.T) {
	captureOutput(t)
	want := map[string]string{
		"frame": "template, check or upload", "plan": "draw or codes",
		"survey": "create, list, open, close or archive", "user": "add, list or passwd",
		"rules": "show or set", "override": "add or list",
	}
	for name, subs := range want {
		err := commands[name].run(context.Background(), []string{"nope"})
		if msg := `unknown ` + name + ` command "nope" (want ` + subs + `)`; err == nil || err.Error() != msg {
			t.Errorf("%s: %v, want %s", name, err, msg)
		}
	}
}
