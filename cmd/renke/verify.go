package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"renke/config"
	"renke/reporting"
	"renke/survey"
)

func init() {
	register("verify", "recompute a survey's (or the audit log's) hash chain and name the first record that does not match", runVerify)
}

func runVerify(ctx context.Context, args []string) error {
	if packageArg(args) { // an evaluator's package is checked offline: see verify_package.go
		return verifyPackage(args, nil)
	}
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
		return verifyAll(ctx, e, os.Stdout)
	}
	if *id == "" && !*audit {
		return errors.New("give --survey ID, --audit, both, or --all")
	}
	if *audit {
		line, err := auditLine(ctx, e)
		if err != nil {
			return err
		}
		fmt.Printf("ok: audit log, %s\n", line)
	}
	if *id == "" {
		return nil
	}
	if _, err := e.store.Survey(ctx, *id); err != nil {
		return err
	}
	line, err := surveyLine(ctx, e, *id)
	if err != nil {
		return err
	}
	fmt.Printf("ok: %s\n", line)
	return nil
}

// surveyLine verifies a survey's responses and says how many and their head.
func surveyLine(ctx context.Context, e *env, id string) (string, error) {
	v := survey.NewVerifier()
	if err := e.store.EachResponse(ctx, id, v.Next); err != nil {
		return "", err
	}
	seq, head := v.Head()
	return fmt.Sprintf("%d responses, chain head %s", seq, head), nil
}

// auditLine verifies the audit log and says how many entries and their head.
func auditLine(ctx context.Context, e *env) (string, error) {
	st, err := reporting.AuditChain(ctx, e.store)
	if err != nil {
		return "", err
	}
	if st.Err != nil {
		return "", st.Err
	}
	return fmt.Sprintf("%d entries, chain head %s", st.Length, st.Head), nil
}

// verifyAll prints "<survey id> ok: …" for every survey and "audit ok: …" for
// the audit log, and fails after the last line if any chain did not verify.
func verifyAll(ctx context.Context, e *env, out io.Writer) error {
	svs, err := e.store.Surveys(ctx, nil)
	if err != nil {
		return err
	}
	broken := 0
	report := func(name string, line string, err error) {
		if err != nil {
			fmt.Fprintf(out, "%s FAILED: %v\n", name, err)
			broken++
			return
		}
		fmt.Fprintf(out, "%s ok: %s\n", name, line)
	}
	for _, sv := range svs {
		line, err := surveyLine(ctx, e, sv.ID)
		report(sv.ID, line, err)
	}
	line, err := auditLine(ctx, e)
	report("audit", line, err)
	if broken > 0 {
		return fmt.Errorf("%d of %d chains do not verify", broken, len(svs)+1)
	}
	return nil
}
