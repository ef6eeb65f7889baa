package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renke/account"
)

func TestConsoleCityView(t *testing.T) {
	f := newConsoleFixture(t)
	f.openWithResponses(4) // the home county's survey has a rate; the foreign one has no response
	ev, admin := f.login("eval"), f.login("admin")

	// An evaluator sees the counties assigned to them, with the estimate.
	res, body := ev.get("/console/city")
	page := string(body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, `id="city"`) || !strings.Contains(page, homeCounty) {
		t.Fatalf("city page for the evaluator: %d %.300s", res.StatusCode, body)
	}
	if strings.Contains(page, foreignCounty) {
		t.Errorf("the evaluator's city view shows a county not assigned to them")
	}
	if !strings.Contains(page, `src="data:image/svg`) || !strings.Contains(page, "共 1 项调查") {
		t.Errorf("city page lacks its chart or summary: %.2000s", page)
	}

	// The admin sees every county; the one without responses says why instead of failing.
	res, body = admin.get("/console/city")
	page = string(body)
	if res.StatusCode != http.StatusOK || !strings.Contains(page, homeCounty) || !strings.Contains(page, foreignCounty) ||
		!strings.Contains(page, "共 2 项调查") || !strings.Contains(page, "无结论") {
		t.Fatalf("city page for the admin: %d %.3000s", res.StatusCode, body)
	}

	// Downloads: the workbook has a row per survey with the rate as a number.
	res, body = admin.get("/console/city.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("city.xlsx: %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	x, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("各区县", excelize.Options{RawCellValue: true})
	if err != nil || len(rows) != 3 {
		t.Fatalf("city.xlsx: %d rows (want a header and 2), %v", len(rows), err)
	}
	if rows[1][0] != homeCounty || rows[1][5] == "" || rows[2][0] != foreignCounty || len(rows[2]) > 5 && rows[2][5] != "" {
		t.Errorf("city.xlsx rows: %q / %q", rows[1], rows[2])
	}
	res, body = ev.get("/console/city.html")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), homeCounty) || strings.Contains(string(body), foreignCounty) ||
		strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src") {
		t.Errorf("city.html for the evaluator: %d", res.StatusCode)
	}

	// An evaluator of a county without surveys sees an empty view and has nothing to download.
	f.addUser("lonely", account.Evaluator, "无调查县")
	lonely := f.login("lonely")
	if res, body := lonely.get("/console/city"); res.StatusCode != http.StatusOK || !strings.Contains(string(body), "还没有任何调查") {
		t.Errorf("city page without counties: %d %.300s", res.StatusCode, body)
	}
	if res, _ := lonely.get("/console/city.xlsx"); res.StatusCode != http.StatusNotFound {
		t.Errorf("city.xlsx without counties: %d, want 404", res.StatusCode)
	}
}
