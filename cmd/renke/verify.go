package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"renke/account"
	"renke/config"
	"renke/survey"
)

func init() {
	register("verify", "recompute a survey's (or the audit log's) hash chain and name the first record that does not match", runVerify)
}

func runVerify(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id: verify its responses")
	audit := fs.Bool("audit", false, "verify the audit log (every change made through renke)")
	all := fs.Bool("all", false, "verify every survey and the audit log, one line each")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *all {
		if *id != "" {
			return errors.New("--all verifies every survey: give it without --survey")
		}
		return verifyAll(ctx, e)
	}
	if *id == "" && !*audit {
		return errors.New("give --survey ID, --audit, both, or --all")
	}
	if *audit {
		v := account.NewAuditVerifier()
		if err := e.store.EachAudit(ctx, func(en *account.Entry) error { return v.Next(en) }); err != nil {
			return err
		}
		seq, head := v.Head()
		fmt.Printf("ok: audit log, %d entries, chain head %s\n", seq, head)
	}
	if *id == "" {
		return nil
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

// verifyAll prints "<survey id> ok: …" for every survey and "audit ok: …" for
// the audit log, and fails after the last line if any chain did not verify.
func verifyAll(ctx context.Context, e *env) error {
	svs, err := e.store.Surveys(ctx, nil)
	if err != nil {
		return err
	}
	broken := 0
	for _, sv := range svs {
		v := survey.NewVerifier()
		if err := e.store.EachResponse(ctx, sv.ID, v.Next); err != nil {
			fmt.Printf("%s FAILED: %v\n", sv.ID, err)
			broken++
			continue
		}
		seq, head := v.Head()
		fmt.Printf("%s ok: %d responses, chain head %s\n", sv.ID, seq, head)
	}
	v := account.NewAuditVerifier()
	if err := e.store.EachAudit(ctx, func(en *account.Entry) error { return v.Next(en) }); err != nil {
		fmt.Printf("audit FAILED: %v\n", err)
		broken++
	} else {
		seq, head := v.Head()
		fmt.Printf("audit ok: %d entries, chain head %s\n", seq, head)
	}
	if broken > 0 {
		return fmt.Errorf("%d of %d chains do not verify", broken, len(svs)+1)
	}
	return nil
}
