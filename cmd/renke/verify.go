package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"renke/config"
	"renke/survey"
)

func init() {
	register("verify", "recompute a survey's hash chain and name the first record that does not match", runVerify)
}

func runVerify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id (required)")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *id == "" {
		return errors.New("--survey is required")
	}
	if _, err := e.store.Survey(ctx, *id); err != nil {
		return err
	}
	v := survey.NewVerifier()
	if err := e.store.EachResponse(ctx, *id, v.Next); err != nil {
		return err
	}
	seq, head := v.Head()
	fmt.Printf("ok: %d responses, chain head %s\n", seq, head)
	return nil
}
