package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/casework"
	"renke/config"
	"renke/store"
)

func TestUserAddAndList(t *testing.T) {
	account.HashCost = bcrypt.MinCost
	ctx := context.Background()
	data := t.TempDir()
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := userAdd(ctx, append([]string{"--data", data}, args...), strings.NewReader(stdin), &out)
		return out.String(), err
	}
	out, err := run("", "--name", "Root", "--role", "admin")
	m := regexp.MustCompile(`初始密码：(\S+)`).FindStringSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("add admin: %v, output %q", err, out)
	}
	if _, err := run("coord-password-1\n", "--name", "wang", "--role", "coordinator", "--county", "渝中区", "--password-stdin"); err == nil ||
		!strings.Contains(err.Error(), "尚未登记") {
		t.Errorf("a county that is not registered: %v", err)
	}
	if out, err := run("coord-password-1\n", "--name", "wang", "--role", "coordinator", "--county", "渝中区", "--county-code", "500103", "--password-stdin"); err != nil || strings.Contains(out, "初始密码") {
		t.Fatalf("add coordinator: %v %q", err, out)
	}
	if _, err := run("", "--name", "WANG", "--role", "evaluator", "--county", "渝中区"); err == nil || !strings.Contains(err.Error(), "已被使用") {
		t.Errorf("a taken name: %v", err)
	}
	for _, bad := range [][]string{{"--name", "x1", "--role", "boss"}, {"--name", "li", "--role", "evaluator"}, {"--name", "zz", "--role", "admin", "--county", "渝中区"}} {
		if _, err := run("", bad...); err == nil {
			t.Errorf("user add %v: accepted", bad)
		}
	}
	if _, err := run("\n", "--name", "qian", "--role", "admin", "--password-stdin"); err == nil {
		t.Error("an empty password on standard input must be refused")
	}

	var list bytes.Buffer
	if err := userList(ctx, []string{"--data", data, "--format", "json"}, &list); err != nil {
		t.Fatal(err)
	}
	var users []account.User
	if err := json.Unmarshal(list.Bytes(), &users); err != nil || len(users) != 2 {
		t.Fatalf("list: %v %s", err, list.String())
	}
	if users[0].Name != "root" || users[0].Role != account.Admin || users[1].Counties[0] != "渝中区" {
		t.Errorf("users %+v", users)
	}
	if strings.Contains(list.String(), "$2a$") {
		t.Error("the list must not print password hashes")
	}

	// The passwords work, and the creations are in the audit log.
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	e, err := parseEnv(ctx, fs, config.Flags(fs, false), []string{"--data", data}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	for name, pw := range map[string]string{"root": m[1], "wang": "coord-password-1"} {
		u, err := e.store.UserByName(ctx, name)
		if err != nil || account.CheckPassword(u, pw) != nil {
			t.Errorf("%s cannot log in with the password given: %v", name, err)
		}
	}
	entries, err := e.store.Audit(ctx, store.AuditFilter{Actor: casework.CLI().Name()}, 0)
	if err != nil || len(entries) != 3 {
		t.Errorf("audit: %d entries (want 2 users and 1 county), %v", len(entries), err)
	}
}

func TestUserPasswdAndRoleRequired(t *testing.T) {
	account.HashCost = bcrypt.MinCost
	ctx := context.Background()
	data := t.TempDir()
	var out bytes.Buffer
	if err := userAdd(ctx, []string{"--name", "zhao", "--data", data}, strings.NewReader(""), &out); err == nil ||
		message(err) != casework.MsgRoleRequired {
		t.Fatalf("a user without a role: %v", err)
	}
	if err := userAdd(ctx, []string{"--name", "zhao", "--role", "admin", "--data", data}, strings.NewReader(""), &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	// The name before the flags, as an operator types it.
	if err := userPasswd(ctx, []string{"zhao", "--data", data}, &out); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`新密码：(\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no new password in %q", out.String())
	}
	if err := userPasswd(ctx, []string{"nobody", "--data", data}, &out); err == nil || message(err) != "用户“nobody”不存在" {
		t.Errorf("an unknown user: %v", err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	e, err := parseEnv(ctx, fs, config.Flags(fs, false), []string{"--data", data}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	u, err := e.store.UserByName(ctx, "zhao")
	if err != nil || account.CheckPassword(u, m[1]) != nil {
		t.Errorf("the new password does not work: %v", err)
	}
	entries, err := e.store.Audit(ctx, store.AuditFilter{Actor: casework.CLI().Name()}, 0)
	if err != nil || len(entries) != 2 || entries[0].Action != account.ActUserPassword || entries[0].Target != "zhao" {
		t.Errorf("audit of the reset: %+v %v", entries, err)
	}
}
