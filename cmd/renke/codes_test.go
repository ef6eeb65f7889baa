package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/config"
	"renke/internal/texttable"
)

// TestCodesListGroupedWithServedURL: `renke codes` lists shared codes school
// by school (township and name in pinyin order) before the one-time batches,
// with each code's state, links on the URL the server keeps under the data
// directory, columns aligned by display width; `renke sheets` uses the same
// URL and refuses to guess one.
func TestCodesListGroupedWithServedURL(t *testing.T) {
	account.HashCost = bcrypt.MinCost
	ctx := context.Background()
	data := t.TempDir()
	t.Setenv("RENKE_PUBLIC_URL", "")
	t.Setenv("RENKE_ADDR", "")
	run := func(f func(context.Context, []string) error, args ...string) string {
		t.Helper()
		var out bytes.Buffer
		stdout = &out
		defer func() { stdout = os.Stdout }()
		if err := f(ctx, append(args, "--data", data)); err != nil {
			t.Fatalf("%v: %v", args, message(err))
		}
		return out.String()
	}
	var sink bytes.Buffer
	if err := userAdd(ctx, []string{"--data", data, "--name", "wang", "--role", "coordinator", "--county", "青禾县", "--county-code", "500199"},
		strings.NewReader(""), &sink); err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(run(surveyCreate, "--county", "青禾县"))
	issue := func(args ...string) string {
		return run(runCodes, append([]string{"issue", "--survey", id}, args...)...)
	}
	// Unknown public URL: paths only, never 127.0.0.1:8080.
	if out := issue("--kind", "onetime", "--group", "deputy", "--count", "2"); strings.Contains(out, "127.0.0.1") || !strings.HasPrefix(out, "/s/") {
		t.Fatalf("links with no public URL known: %q", out)
	}
	if err := config.WritePublicURL(data, "http://192.0.2.7:8090"); err != nil {
		t.Fatal(err)
	}
	school := func(code, name, town string) []string {
		return []string{"--school", code, "--school-name", name, "--township", town, "--urbanicity", "乡村"}
	}
	issue(append([]string{"--kind", "shared", "--group", "parent", "--quota", "7"}, school("5001990003", "育才小学", "白沙镇")...)...)
	out := issue(append([]string{"--kind", "shared", "--group", "teacher", "--quota", "3"}, school("5001990001", "阳光小学", "安居镇")...)...)
	if !strings.HasPrefix(out, "http://192.0.2.7:8090/s/") {
		t.Fatalf("codes issue prints %q, want the served URL", out)
	}
	issue(append([]string{"--kind", "shared", "--group", "student", "--band", "g5-6", "--quota", "5"}, school("5001990002", "白云小学", "白沙镇")...)...)
	issue(append([]string{"--kind", "shared", "--group", "parent", "--band", "g5-6", "--quota", "9"}, school("5001990002", "白云小学", "白沙镇")...)...)

	var rows []codeRow
	if err := json.Unmarshal([]byte(run(codesList, "--survey", id, "--format", "json")), &rows); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range rows {
		order = append(order, string(r.Kind)+":"+r.SchoolName+":"+string(r.Group))
		if !strings.HasPrefix(r.URL, "http://192.0.2.7:8090/s/") || r.StateLabel == "" || r.Purpose == "" {
			t.Errorf("row %+v", r)
		}
	}
	// 安居镇 (ān) before 白沙镇 (bái); in 白沙镇 白云 (bái yún) before 育才 (yù); students before parents.
	want := []string{"shared:阳光小学:teacher", "shared:白云小学:student", "shared:白云小学:parent", "shared:育才小学:parent",
		"onetime::deputy", "onetime::deputy"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("order\n got %v\nwant %v", order, want)
	}
	if rows[0].Township != "安居镇" || rows[0].State != "open" || rows[0].StateLabel != "可作答" || rows[4].StateLabel != "未使用" || rows[4].Purpose != "人大代表 · 全县" {
		t.Errorf("rows %+v / %+v", rows[0], rows[4])
	}

	table := run(codesList, "--survey", id)
	lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if len(lines) != 7 || !strings.Contains(lines[1], "阳光小学（安居镇）") || !strings.Contains(lines[5], "未使用") {
		t.Fatalf("table:\n%s", table)
	}
	// The link column starts at one display column on every row.
	starts := map[int]bool{}
	for _, l := range lines[1:] {
		at := strings.Index(l, "http://")
		starts[texttable.Width(l[:at])] = true
	}
	if len(starts) != 1 {
		t.Errorf("links start at display columns %v:\n%s", starts, table)
	}

	// sheets: the served URL from the data directory, or a clear refusal.
	list := filepath.Join(t.TempDir(), "codes.json")
	if err := os.WriteFile(list, []byte(run(codesList, "--survey", id, "--format", "json")), 0o644); err != nil {
		t.Fatal(err)
	}
	zipOut := filepath.Join(t.TempDir(), "sheets.zip")
	if err := runSheets(ctx, []string{"--codes", list, "--out", zipOut, "--data", t.TempDir()}); err == nil || !strings.Contains(err.Error(), "public-url") {
		t.Errorf("sheets with no public URL known: %v", err)
	}
	if err := runSheets(ctx, []string{"--codes", list, "--out", zipOut, "--data", data}); err != nil {
		t.Errorf("sheets with the served URL: %v", err)
	}
	zr, err := zip.OpenReader(zipOut)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("清单.csv")
	if err != nil {
		t.Fatal(err)
	}
	manifest, _ := io.ReadAll(f)
	if !strings.Contains(string(manifest), "http://192.0.2.7:8090/s/") || strings.Contains(string(manifest), "127.0.0.1") {
		t.Errorf("sheets' links are not the served URL:\n%s", manifest)
	}
	codes, used, err := readCodes(list)
	if err != nil || len(codes) != 6 || len(used) != 6 || codes[0].Township != "安居镇" {
		t.Errorf("readCodes: %d codes, %v", len(codes), err)
	}
}
