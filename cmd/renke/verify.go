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
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *id == "" && !*audit {
		return errors.New("give --survey ID, --audit, or both")
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
