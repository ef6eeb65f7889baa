package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"renke/demo"
	"renke/dossier"
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
	pkg, csvPath := filepath.Join(t.TempDir(), "dossier.zip"), filepath.Join(t.TempDir(), "export.csv")
	if err := runExport(ctx, []string{"--data", data, "--survey", demo.SurveyID(3), "--package", pkg, "--out", csvPath}); err != nil {
		t.Fatal(err)
	}
	if err := runExport(ctx, []string{"--data", data, "--survey", demo.SurveyID(3)}); err == nil {
		t.Error("export without --out or --package succeeded")
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
	csvFile, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if inPkg := zipFile(t, b, dossier.FileReplication); !bytes.Equal(inPkg, csvFile) {
		t.Errorf("the package's replication.csv (%d bytes) differs from --out's (%d bytes)", len(inPkg), len(csvFile))
	}
	// Response 321's answers set to 不认可 in the package: named by row.
	edited := filepath.Join(t.TempDir(), "edited.zip")
	if err := os.WriteFile(edited, editZIP(t, b, dossier.FileResponses, 321, func(line string) string {
		return strings.Replace(line, `"answers":{"`, `"answers":{"a":"4","`, 1)
	}), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := verifyPackage([]string{"--package", edited}, &out); err == nil ||
		!strings.Contains(out.String(), "FAILED: responses.jsonl 第 321 行（seq 321") {
		t.Errorf("verify --package of an edited row: %v\n%s", err, out.String())
	}
	bad := filepath.Join(t.TempDir(), "bad.zip")
	if err := os.WriteFile(bad, append(b[:len(b)/2:len(b)/2], 'x'), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := verifyPackage([]string{"--package", bad}, &out); err == nil {
		t.Error("verify --package accepted a truncated package")
	}
}

// editZIP rewrites line n (1-based) of one file of a ZIP with f.
func editZIP(t *testing.T, b []byte, name string, n int, f func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == name {
			lines := strings.Split(string(data), "\n")
			old := lines[n-1]
			if lines[n-1] = f(old); lines[n-1] == old {
				t.Fatalf("%s line %d unchanged", name, n)
			}
			data = []byte(strings.Join(lines, "\n"))
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipFile reads one file of a ZIP.
func zipFile(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
