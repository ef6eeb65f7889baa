package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renke/report"
)

// snapshotDir holds every report format's output for the fixed surveys;
// RENKE_REPORT_SNAPSHOT=update rewrites it.
const snapshotDir = "testdata/snapshot"

// TestReportSnapshots compares each format's output for the fixed surveys
// (the fixture with its audit trail, and a survey without valid responses)
// with the committed snapshots: HTML, JSON and CSV byte for byte, the
// workbook's cell contents, and the PDF's bytes by their SHA-256 sum.
func TestReportSnapshots(t *testing.T) {
	update := os.Getenv("RENKE_REPORT_SNAPSHOT") == "update"
	for name, in := range map[string]*report.Published{"full": withAudit(t, fixture(t)), "empty": emptyFixture(t)} {
		outputs := map[string][]byte{}
		for _, f := range Formats {
			var b bytes.Buffer
			if err := f.Write(&b, in); err != nil {
				t.Fatalf("%s %s: %v", name, f.Name, err)
			}
			switch f.Name {
			case "pdf":
				outputs["pdf.sha256"] = sha(b.Bytes())
			case "xlsx":
				outputs["xlsx.txt"] = xlsxDump(t, b.Bytes())
			default:
				outputs[f.Name] = b.Bytes()
			}
		}
		if len(outputs) != 4 {
			t.Fatalf("%d formats, want html, json, pdf, xlsx", len(outputs))
		}
		if in.Report != nil {
			outputs["csv"] = snapshotCSV(t, in)
		}
		for ext, got := range outputs {
			path := filepath.Join(snapshotDir, name+"."+ext)
			if update {
				if err := os.MkdirAll(snapshotDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (RENKE_REPORT_SNAPSHOT=update writes the snapshots)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s: output differs from the snapshot (%d bytes, want %d): first difference at byte %d",
					path, len(got), len(want), firstDiff(got, want))
			}
		}
	}
}

// snapshotCSV is the replication file of the report.
func snapshotCSV(t *testing.T, in *report.Published) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := report.WriteReplication(&b, in); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// xlsxDump lists every sheet's cells, one row a line, tab-separated.
func xlsxDump(t *testing.T, b []byte) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "== %s\n", sheet)
		for _, r := range rows {
			out.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	return []byte(out.String())
}

func sha(b []byte) []byte {
	s := sha256.Sum256(b)
	return []byte(hex.EncodeToString(s[:]) + "\n")
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
