package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"renke/internal/testenv"
	"renke/report"
	"renke/report/render"
	"renke/reporting"
	"renke/store"
	"renke/survey"
)

// seedSurvey stores a survey of county with n responses; answer picks each
// answer (nil: mostly recognising).
func seedSurvey(t *testing.T, st *store.Store, county string, n int, answer func(*rand.Rand) string) *survey.Survey {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	sv, err := survey.NewSurvey(county, county+"社会认可度调查", now.Add(-48*time.Hour), now.Add(48*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(uint64(n), 11))
	if answer == nil {
		answer = func(r *rand.Rand) string { return survey.OptionCodes[min(r.IntN(7), 4)] }
	}
	groups := []survey.Group{survey.Student, survey.Parent, survey.Teacher, survey.Principal, survey.Public}
	for i := range n {
		g := groups[rng.IntN(len(groups))]
		r := &survey.Response{ID: fmt.Sprintf("%s-r%04d", sv.ID, i), SurveyID: sv.ID, Code: fmt.Sprint(sv.ID, "-code-", i),
			CodeKind: survey.OneTimeCode, Group: g, Urbanicity: survey.Urbanicities[rng.IntN(3)], DeviceID: fmt.Sprint("d", i),
			AddrHash: fmt.Sprint("a", i%40), UAFamily: "wechat", Answers: map[string]string{},
			StartedAt:   now.Add(-time.Duration(300+rng.IntN(600))*time.Second - time.Duration(i)*time.Minute),
			SubmittedAt: now.Add(-time.Duration(i) * time.Minute)}
		if g.ViaSchool() {
			r.School, r.Township = fmt.Sprintf("S%02d", rng.IntN(10)), fmt.Sprintf("T%d", rng.IntN(3))
		}
		if bands := survey.BandsFor(g); len(bands) > 0 {
			r.Band = bands[rng.IntN(len(bands))]
		}
		q := sv.Forms[g.Form()]
		r.Form, r.FormVersion = q.Kind, q.Version
		for _, it := range q.Items {
			r.Answers[it.ID] = answer(rng)
		}
		if err := st.AppendResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return sv
}

func TestReportFormatsFromStore(t *testing.T) {
	st := testenv.Store(t)
	sv := seedSurvey(t, st, "北川县", 240, nil)
	d, err := reporting.Build(context.Background(), st, sv.ID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range []string{"json", "html", "pdf", "xlsx"} {
		var buf bytes.Buffer
		if err := writeFormat(f, &buf, d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = buf.Bytes()
	}
	var js report.Report
	if err := json.Unmarshal(out["json"], &js); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out["html"]), "北川县") || !strings.Contains(string(out["html"]), js.Overall.Verdict) {
		t.Error("HTML lacks the county or the verdict")
	}
	if !bytes.HasPrefix(out["pdf"], []byte("%PDF-")) {
		t.Error("pdf renderer wrote no PDF")
	}
	x, err := excelize.OpenReader(bytes.NewReader(out["xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows(render.SheetSummary, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, r := range rows {
		if len(r) >= 2 {
			found[r[0]] = r[1]
		}
	}
	for label, want := range map[string]float64{"总体认可度": js.Overall.Rate, "标准误": js.Overall.SE, "95%下限": js.Overall.CILow} {
		got, err := strconv.ParseFloat(found[label], 64)
		if err != nil || math.Abs(got-want) > 1e-14*math.Abs(want) {
			t.Errorf("workbook %s = %q, JSON %v", label, found[label], want)
		}
	}
}

func TestCityRowsFromStore(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	seedSurvey(t, st, "北川县", 150, nil)
	seedSurvey(t, st, "南溪县", 6, func(*rand.Rand) string { return survey.OptDontKnow })
	rows, err := reporting.CityRows(ctx, st, nil, reporting.Build)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	by := map[string]render.CityRow{}
	for _, r := range rows {
		by[r.County] = r
	}
	if r := by["北川县"]; r.Overall == nil || r.Received != 150 {
		t.Errorf("北川县: %+v", r)
	}
	// A survey without a valid response gets a row that says why, not a failure.
	if r := by["南溪县"]; r.Overall != nil || (r.Problem == "" && len(r.Warnings) == 0) {
		t.Errorf("南溪县: %+v", r)
	}
	only, err := reporting.CityRows(ctx, st, []string{"南溪县"}, reporting.Build)
	if err != nil || len(only) != 1 || only[0].County != "南溪县" {
		t.Fatalf("--counties 南溪县: %v %+v", err, only)
	}
	for _, ext := range []string{"city.xlsx", "city.html"} {
		write, err := cityWriter("", ext)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := write(&buf, rows, time.Now(), "test"); err != nil {
			t.Fatalf("%s: %v", ext, err)
		}
		if buf.Len() == 0 {
			t.Errorf("%s: empty", ext)
		}
	}
	if _, err := cityWriter("", "city.csv"); err == nil {
		t.Error("city.csv: want an error")
	}
	if _, err := reporting.CityRows(ctx, st, []string{"无此县"}, reporting.Build); err == nil {
		t.Error("no surveys: want an error")
	}
}

// split is a build's report (nil without one), the built data and the error.
func split(p *report.Published, err error) (*report.Report, *report.Published, error) {
	if p == nil {
		return nil, nil, err
	}
	return p.Report, p, err
}

// writeFormat writes p in the report format called name.
func writeFormat(name string, w io.Writer, p *report.Published) error {
	f, ok := render.FormatNamed(name)
	if !ok {
		return fmt.Errorf("no report format %q", name)
	}
	return f.Write(w, p)
}

// TestReportWithoutDataFails: `renke report` and `renke export` on a survey
// with no valid response fail with the no-data message and write nothing;
// an unknown --format names the formats of render.Formats.
func TestReportWithoutDataFails(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	e := openData(t, data)
	sv := seedSurvey(t, e.store, "南溪县", 4, func(*rand.Rand) string { return survey.OptDontKnow })
	e.close()
	out := filepath.Join(t.TempDir(), "r.json")
	for _, run := range []struct {
		name string
		cmd  func(context.Context, []string) error
		args []string
	}{
		{"report", runReport, []string{"--format", "json", "--out", out}},
		{"export", runExport, []string{"--out", out}},
	} {
		err := run.cmd(ctx, append([]string{"--data", data, "--survey", sv.ID}, run.args...))
		if err == nil || !strings.Contains(err.Error(), "尚无可计算的答卷：已收到 4 份应答") {
			t.Errorf("%s without data: %v", run.name, err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s without data wrote %s", run.name, out)
		}
	}
	err := runReport(ctx, []string{"--data", data, "--survey", sv.ID, "--format", "docx"})
	if err == nil || !strings.Contains(err.Error(), "want one of "+render.FormatNames()) {
		t.Errorf("unknown format: %v", err)
	}
}
