package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"renke/config"
	"renke/evidence/checkpoint"
	"renke/hashchain"
	"renke/reporting"
	"renke/store"
	"renke/survey"
)

func init() {
	register("verify", "recompute a survey's (or the audit log's) hash chain, compare it with its checkpoints and name every record that does not match", runVerify)
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
	cpFile := fs.String("checkpoint", "", "a checkpoint file (renke checkpoint): fail unless the stored chain still extends it")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *all {
		if *id != "" || *cpFile != "" {
			return errors.New("--all verifies every survey against its stored anchors: give it without --survey or --checkpoint")
		}
		return verifyAll(ctx, e, os.Stdout)
	}
	if *id == "" && !*audit {
		return errors.New("give --survey ID, --audit, both, or --all")
	}
	var extra []hashchain.Anchor
	var cp *checkpoint.Checkpoint
	if *cpFile != "" {
		if cp, err = readCheckpoint(*cpFile, e); err != nil {
			return err
		}
		switch {
		case cp.Chain == checkpoint.AuditChain && !*audit:
			return fmt.Errorf("%s is a checkpoint of the audit log: give --audit", *cpFile)
		case cp.Chain != checkpoint.AuditChain && cp.Chain != *id:
			return fmt.Errorf("%s is a checkpoint of survey %s, not of %q", *cpFile, cp.Chain, *id)
		}
		extra = []hashchain.Anchor{cp.Anchor("the checkpoint " + *cpFile)}
	}
	if *audit {
		var auditExtra []hashchain.Anchor
		if cp != nil && cp.Chain == checkpoint.AuditChain {
			auditExtra = extra
		}
		line, err := auditLine(ctx, e, auditExtra...)
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
	if cp != nil && cp.Chain == checkpoint.AuditChain {
		extra = nil
	}
	line, err := surveyLine(ctx, e, *id, extra...)
	if err != nil {
		return err
	}
	fmt.Printf("ok: %s\n", line)
	return nil
}

// readCheckpoint reads a checkpoint file and checks it was signed by this
// deployment's key.
func readCheckpoint(path string, e *env) (*checkpoint.Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint: %w", err)
	}
	defer f.Close()
	cp, err := checkpoint.Read(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if k := e.cfg.Signing; k != nil {
		if err := cp.Verify(k.Public()); err != nil {
			return nil, fmt.Errorf("%s: %w (this server's key is %s)", path, err, k.Fingerprint())
		}
	}
	return cp, nil
}

// surveyLine checks a survey's responses against the chain's stored anchors
// and extra ones, and says how many and their head; the error names every
// break.
func surveyLine(ctx context.Context, e *env, id string, extra ...hashchain.Anchor) (string, error) {
	res, anchors, err := checkSurvey(ctx, e, id, extra...)
	if err != nil {
		return "", err
	}
	checks, serr := reporting.SettingsCheck(ctx, e.store, id)
	if cerr := res.Err(); cerr != nil || serr != nil {
		return "", errors.Join(cerr, serr)
	}
	recorded := 0
	for _, c := range checks {
		if c.Recorded != "" {
			recorded++
		}
	}
	return fmt.Sprintf("%d responses, chain head %s%s; settings match the audit log (%d of %d recorded there)",
		res.Verified, res.Head, anchorNote(anchors), recorded, len(checks)), nil
}

// checkSurvey checks a survey's response chain record by record and against
// its stored anchors (head hint, newest checkpoint) and extra ones.
func checkSurvey(ctx context.Context, e *env, id string, extra ...hashchain.Anchor) (hashchain.Result, []hashchain.Anchor, error) {
	anchors, err := e.store.Anchors(ctx, id)
	if err != nil {
		return hashchain.Result{}, nil, err
	}
	anchors = append(anchors, extra...)
	key, err := e.store.CommitKey(ctx, id, false)
	if err != nil {
		return hashchain.Result{}, nil, err
	}
	c := survey.NewChecker()
	c.Expect(anchors...)
	var uncommitted []hashchain.Break
	if err := e.store.EachResponse(ctx, id, func(r *survey.Response) error {
		c.Add(r)
		if key != nil && !r.CommitmentHolds(key) {
			uncommitted = append(uncommitted, survey.CommitmentBreak(r))
		}
		return nil
	}); err != nil {
		return hashchain.Result{}, nil, err
	}
	return c.Result(anchors...).With(uncommitted...), anchors, nil
}

// auditLine verifies the audit log and says how many entries and their head.
func auditLine(ctx context.Context, e *env, extra ...hashchain.Anchor) (string, error) {
	res, err := reporting.AuditCheck(ctx, e.store, extra...)
	if err != nil {
		return "", err
	}
	if err := res.Err(); err != nil {
		return "", err
	}
	anchors, err := e.store.Anchors(ctx, store.AuditChain)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d entries, chain head %s%s", res.Verified, res.Head, anchorNote(append(anchors, extra...))), nil
}

// anchorNote says which anchors the chain was compared with.
func anchorNote(anchors []hashchain.Anchor) string {
	s := ""
	for _, a := range anchors {
		s += fmt.Sprintf("; extends %s (seq %d)", a.Source, a.Seq)
	}
	return s
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
