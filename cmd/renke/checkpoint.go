package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"renke/config"
	"renke/evidence/checkpoint"
	"renke/reporting"
)

func init() {
	register("checkpoint", "verify a survey's (or the audit log's) chain and write a signed checkpoint of its head to a file to keep outside the database", runCheckpoint)
}

func runCheckpoint(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("checkpoint", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id: checkpoint its response chain")
	audit := fs.Bool("audit", false, "checkpoint the audit log")
	out := fs.String("out", "", "the file to write (required)")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if (*id == "") == !*audit || *out == "" {
		return errors.New("give --survey ID or --audit, and --out FILE")
	}
	chain, seq, head := checkpoint.AuditChain, int64(0), ""
	if *audit {
		res, err := reporting.AuditCheck(ctx, e.store)
		if err != nil {
			return err
		}
		if err := res.Err(); err != nil {
			return fmt.Errorf("the audit log does not verify; no checkpoint written: %w", err)
		}
		seq, head = res.Verified, res.Head
	} else {
		if _, err := e.store.Survey(ctx, *id); err != nil {
			return err
		}
		res, _, err := checkSurvey(ctx, e, *id)
		if err != nil {
			return err
		}
		if err := res.Err(); err != nil {
			return fmt.Errorf("survey %s's chain does not verify; no checkpoint written: %w", *id, err)
		}
		chain, seq, head = *id, res.Verified, res.Head
	}
	cp, err := e.store.Checkpoint(ctx, chain, seq, head)
	if err != nil {
		return err
	}
	if cp == nil {
		return errors.New("no signing key configured")
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("checkpoint file: %w", err)
	}
	if err := cp.Write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("checkpoint file: %w", err)
	}
	fmt.Printf("checkpoint of %s at seq %d, head %s, signed by key %s, written to %s\n", chain, seq, head, cp.Key, *out)
	return nil
}
