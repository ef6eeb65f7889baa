package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"renke/dossier"
)

// packageArg reports whether verify's arguments ask for an evaluator's
// package, which is checked alone: no configuration, no store.
func packageArg(args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		name := strings.TrimLeft(a, "-")
		if strings.HasPrefix(a, "-") && (name == "package" || strings.HasPrefix(name, "package=")) {
			return true
		}
	}
	return false
}

// verifyPackage is `renke verify --package FILE.zip [--fingerprint FP]`: it
// checks an evaluator's package with nothing but the file, prints what it
// checked and every problem to out (nil: standard output), and fails when
// there is one.
func verifyPackage(args []string, out io.Writer) error {
	if out == nil {
		out = os.Stdout
	}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	path := fs.String("package", "", "the evaluator's package (复核包) to check, offline")
	fp := fs.String("fingerprint", "", "the signing key's fingerprint the package must carry (from the filed report)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" || fs.NArg() > 0 {
		return errors.New("--package FILE.zip is checked alone: give it with --fingerprint only")
	}
	f, err := os.Open(*path)
	if err != nil {
		return fmt.Errorf("--package: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("--package: %w", err)
	}
	res, err := dossier.Verify(f, st.Size(), dossier.Options{Fingerprint: strings.TrimSpace(*fp)})
	if err != nil {
		return err
	}
	m := res.Manifest
	fmt.Fprintf(out, "复核包：%s（%s，调查 %s），生成于 %s，签名密钥指纹 %s\n", m.Title, m.County, m.SurveyID,
		m.Generated.Format("2006-01-02 15:04:05 UTC"), m.Fingerprint)
	for _, n := range res.Notes {
		fmt.Fprintf(out, "  %s\n", n)
	}
	if *fp == "" {
		fmt.Fprintln(out, "  提示：未给出 --fingerprint，请将上面的指纹与归档报告上印的指纹核对")
	}
	if !res.OK() {
		for _, p := range res.Problems {
			fmt.Fprintf(out, "FAILED: %s\n", p)
		}
		return fmt.Errorf("复核包未通过校验：%d 处问题", len(res.Problems))
	}
	fmt.Fprintf(out, "ok: 签名、%d 个文件的哈希、%d 条应答的哈希链、设置与重算结果（%d 条有效应答，认可度 %.4f）均一致\n",
		len(m.Files), res.Responses, res.Valid, res.Rate)
	return nil
}
