package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"renke/config"
	"renke/dossier"
	"renke/report"
	"renke/reporting"
)

// runExport writes a survey's replication file (--out) or its evaluator's
// package (--package), or both.
func runExport(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	finish := config.Flags(fs, false)
	id := fs.String("survey", "", "survey id (required)")
	out := fs.String("out", "", "output CSV file: the replication file")
	pkg := fs.String("package", "", "output ZIP file: the evaluator's package (复核包), signed with the server's key")
	e, err := parseEnv(ctx, fs, finish, args, false)
	if err != nil {
		return err
	}
	defer e.close()
	if *id == "" || (*out == "" && *pkg == "") {
		return errors.New("--survey and --out or --package are required")
	}
	d, err := reporting.Build(ctx, e.store, *id)
	if err != nil {
		return err
	}
	if !d.HasData() {
		return noDataError(d)
	}
	if *out != "" {
		w, err := output(*out)
		if err != nil {
			return err
		}
		if err := report.WriteReplication(w, d); err != nil {
			w.Close()
			return err
		}
		if err := w.Close(); err != nil {
			return err
		}
	}
	if *pkg == "" {
		return nil
	}
	codes, err := e.store.Codes(ctx, *id)
	if err != nil {
		return err
	}
	w, err := output(*pkg)
	if err != nil {
		return err
	}
	if err := dossier.Write(w, dossier.FromReport(d, codes), e.cfg.Signing); err != nil {
		w.Close()
		return err
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("--package: %w", err)
	}
	fmt.Fprintf(os.Stderr, "复核包 %s：%d 条应答，签名密钥指纹 %s\n", *pkg, len(d.Responses), e.cfg.Signing.Fingerprint())
	return nil
}
