package main

import (
	"context"
	"flag"
	"io"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/config"
)

// TestVerifyAudit: `renke verify --audit` accepts the log renke wrote and
// names the entry someone changed in the database afterwards.
func TestVerifyAudit(t *testing.T) {
	account.HashCost = bcrypt.MinCost
	ctx := context.Background()
	data := t.TempDir()
	for _, name := range []string{"root", "admin2"} {
		if err := userAdd(ctx, []string{"--data", data, "--name", name, "--role", "admin"}, strings.NewReader(""), io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	if err := runVerify(ctx, []string{"--data", data, "--audit"}); err != nil {
		t.Fatalf("verify --audit of an untouched log: %v", err)
	}
	if err := runVerify(ctx, []string{"--data", data, "--all"}); err != nil {
		t.Fatalf("verify --all of untouched chains: %v", err)
	}
	if err := runVerify(ctx, []string{"--data", data}); err == nil || !strings.Contains(err.Error(), "--audit") {
		t.Errorf("verify without --survey or --audit: %v", err)
	}

	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	e, err := parseEnv(ctx, fs, config.Flags(fs, false), []string{"--data", data}, false)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.store.Collection("audit").UpdateOne(ctx, map[string]any{"seq": 1},
		map[string]any{"$set": map[string]any{"target": "someone-else"}})
	e.close()
	if err != nil || res.ModifiedCount != 1 {
		t.Fatalf("tamper: %v %+v", err, res)
	}
	err = runVerify(ctx, []string{"--data", data, "--audit"})
	if err == nil || !strings.Contains(err.Error(), "seq 1 (audit entry") {
		t.Fatalf("verify --audit after an edit: %v", err)
	}
	if err := runVerify(ctx, []string{"--data", data, "--all"}); err == nil || !strings.Contains(err.Error(), "1 of 1 chains do not verify") {
		t.Fatalf("verify --all after an edit: %v", err)
	}
}
