package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renke/demo"
	"renke/signing"
)

// TestExportPackageVerifiesOffline: `renke export --package` on the demo
// county writes a package that `renke verify --package` accepts with no
// configuration or store, and rejects once a byte of it is changed.
func TestExportPackageVerifiesOffline(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	t.Setenv("RENKE_SIGNING_KEY", "")
	if err := runDemo(ctx, []string{"--data", data, "--seed", "3"}); err != nil {
		t.Fatal(err)
	}
	pkg := filepath.Join(t.TempDir(), "dossier.zip")
	if err := runExport(ctx, []string{"--data", data, "--survey", demo.SurveyID(3), "--package", pkg}); err != nil {
		t.Fatal(err)
	}
	key, err := signing.Load(data, "")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := verifyPackage([]string{"--package", pkg, "--fingerprint", key.Fingerprint()}, &out); err != nil {
		t.Fatalf("verify --package of an untouched package: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "ok: ") || !strings.Contains(out.String(), key.Fingerprint()) {
		t.Errorf("verify output:\n%s", out.String())
	}
	// runVerify takes --package before opening anything: no --data is given.
	if err := runVerify(ctx, []string{"--package", pkg}); err != nil {
		t.Fatalf("renke verify --package: %v", err)
	}
	if err := verifyPackage([]string{"--package", pkg, "--fingerprint", "0000:1111"}, &out); err == nil {
		t.Error("verify --package accepted a package signed by a key of another fingerprint")
	}

	b, err := os.ReadFile(pkg)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.zip")
	if err := os.WriteFile(bad, append(b[:len(b)/2:len(b)/2], 'x'), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := verifyPackage([]string{"--package", bad}, &out); err == nil {
		t.Error("verify --package accepted a truncated package")
	}
}
