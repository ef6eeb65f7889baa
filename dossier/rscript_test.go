package dossier

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// rscript finds Rscript with the survey package: RENKE_TEST_RSCRIPT (set by
// .ci/run), else Rscript on the PATH. Without it the test is skipped, except
// in CI (CI=true) or when RENKE_TEST_RSCRIPT names it, where R is required.
func rscript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("RENKE_TEST_RSCRIPT")
	required := path != "" || os.Getenv("CI") == "true"
	if path == "" {
		path, _ = exec.LookPath("Rscript")
	}
	missing := path == ""
	if !missing {
		missing = exec.Command(path, "-e", "suppressPackageStartupMessages(library(survey))").Run() != nil
	}
	if missing {
		if required {
			t.Fatal("CI needs Rscript with the survey package (apt-get install r-base-core r-cran-survey)")
		}
		t.Skip("Rscript with the survey package not installed (apt-get install r-base-core r-cran-survey)")
	}
	return path
}

// unpackTo writes a package's files into a new directory.
func unpackTo(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRScriptReproducesResults runs the package's reproduce.R with R's survey
// package on a generated package: it must reproduce the published overall
// and group rates, SEs, df, intervals and pass probabilities to 1e-9, and
// fail when a published number is off.
func TestRScriptReproducesResults(t *testing.T) {
	r := rscript(t)
	c := demoContents(t)
	files := unpack(t, pack(t, c, testKey(t, 1)))
	dir := unpackTo(t, files)
	out, err := exec.Command(r, filepath.Join(dir, FileRScript), dir).CombinedOutput()
	if err != nil {
		t.Fatalf("reproduce.R on an untouched package: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "复算一致") || !strings.Contains(string(out), "group:parent") {
		t.Fatalf("reproduce.R output:\n%s", out)
	}
	t.Logf("reproduce.R:\n%s", out)

	// A published rate moved by 1e-6 is caught and named.
	line := 2 // overall
	files[FileResultsCSV] = editLine(t, files[FileResultsCSV], line, func(s string) string {
		f := strings.Split(s, ",")
		f[2] = num(c.Report.Overall.Rate + 1e-6)
		return strings.Join(f, ",")
	})
	dir = unpackTo(t, files)
	out, err = exec.Command(r, filepath.Join(dir, FileRScript), dir).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "不符 overall rate") {
		t.Fatalf("reproduce.R accepted a published rate off by 1e-6: %v\n%s", err, out)
	}
}
