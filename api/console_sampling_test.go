package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"renke/sampling"
	"renke/survey"
)

// testFrame is a small valid county frame: three schools in each stratum.
func testFrame() *sampling.Frame {
	f := &sampling.Frame{County: sampling.County{Name: homeCounty, Population: 200000, Urban: 150000, Town: 40000, Rural: 10000, Deputies: 150, CPPCC: 120}}
	for i, u := range []survey.Urbanicity{survey.Urban, survey.Urban, survey.Urban, survey.Town, survey.Town, survey.Town, survey.Rural, survey.Rural, survey.Rural} {
		s := sampling.School{Code: fmt.Sprintf("S%03d", i+1), Name: fmt.Sprintf("第%d小学", i+1), Township: fmt.Sprintf("镇%d", i%3), Urbanicity: u,
			Type: sampling.Nine, Teachers: 60 + 5*i, Principals: 3}
		for g := range s.Enrolment {
			s.Enrolment[g] = 80 + 10*i + g
		}
		f.Schools = append(f.Schools, s)
	}
	return f
}

func frameXLSX(t *testing.T, f *sampling.Frame) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := f.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a file to a page form as a browser does.
func (c *client) upload(path, field, name string, data []byte) (*http.Response, []byte) {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf", c.csrf)
	fw, _ := w.CreateFormFile(field, name)
	fw.Write(data)
	w.Close()
	return c.do("POST", path, w.FormDataContentType(), &body, map[string]string{"X-CSRF-Token": ""})
}

var issuedLocation = regexp.MustCompile(`/codes\?issued=(\d+)$`)

func TestConsoleSamplingFlow(t *testing.T) {
	f := newConsoleFixture(t)
	ctx := context.Background()
	id := f.home.ID
	coord, ev := f.login("coord"), f.login("eval")
	base := "/console/surveys/" + id

	good := testFrame()
	if res, body := coord.upload(base+"/frame", "frame", "frame.xlsx", frameXLSX(t, good)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload frame: %d %.400s", res.StatusCode, body)
	}
	stored, err := f.store.Frame(ctx, id)
	if err != nil || len(stored.Schools) != 9 || stored.County.Population != 200000 {
		t.Fatalf("stored frame: %v", err)
	}
	// A bad workbook is refused with its problems by row, and the stored frame stays.
	bad := testFrame()
	bad.Schools[4].Code = bad.Schools[1].Code
	bad.Schools[6].Teachers = -3
	res, body := coord.upload(base+"/frame", "frame", "frame.xlsx", frameXLSX(t, bad))
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(body), `id="frame-problems"`) {
		t.Fatalf("bad frame: %d", res.StatusCode)
	}
	if !strings.Contains(string(body), "<td>6</td>") || !strings.Contains(string(body), "<td>8</td>") {
		t.Errorf("the problems must name rows 6 and 8 of the sheet: %s", regexp.MustCompile(`(?s)<table id="frame-problems">.*?</table>`).Find(body))
	}
	if again, _ := f.store.Frame(ctx, id); again.Schools[4].Code != good.Schools[4].Code {
		t.Error("a refused upload changed the stored frame")
	}
	if res, _ := coord.upload(base+"/frame", "frame", "notes.xlsx", []byte("not a workbook")); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a non-workbook: %d", res.StatusCode)
	}

	if res, body := coord.form(base+"/plan", url.Values{"seed": {"42"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("draw: %d %.400s", res.StatusCode, body)
	}
	p1, err := f.store.Plan(ctx, id)
	if err != nil || p1.Seed != 42 || p1.Total != 300 {
		t.Fatalf("plan: seed %d total %d, %v", p1.Seed, p1.Total, err)
	}
	coord.form(base+"/plan", url.Values{"seed": {"42"}})
	p2, _ := f.store.Plan(ctx, id)
	j1, _ := json.Marshal(p1)
	j2, _ := json.Marshal(p2)
	if !bytes.Equal(j1, j2) {
		t.Error("the same frame and seed must give the same plan")
	}
	if res, _ := coord.form(base+"/plan", url.Values{"seed": {"forty-two"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad seed: %d", res.StatusCode)
	}
	res, body = coord.get(base + "/sampling")
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `id="plan-schools"`) || !strings.Contains(string(body), `id="plan-form"`) {
		t.Errorf("sampling page: %d", res.StatusCode)
	}

	// The evaluator reads the plan but has no editor.
	res, body = ev.get(base + "/sampling")
	if res.StatusCode != http.StatusOK || strings.Contains(string(body), `id="plan-form"`) || strings.Contains(string(body), `id="frame-form"`) || strings.Contains(string(body), `id="plan-codes"`) {
		t.Errorf("evaluator's sampling page: %d, must show no form", res.StatusCode)
	}
	if res, _ := ev.form(base+"/plan", url.Values{"seed": {"1"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("evaluator draws: %d", res.StatusCode)
	}
	if res, _ := ev.get(base + "/plan.xlsx"); res.StatusCode != http.StatusOK {
		t.Errorf("evaluator downloads the plan: %d", res.StatusCode)
	}

	// The plan becomes the survey's shared codes in one step, once.
	res, _ = coord.form(base+"/plan/codes", nil)
	m := issuedLocation.FindStringSubmatch(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || m == nil || m[1] != fmt.Sprint(len(p1.CodeSpecs())) {
		t.Fatalf("plan codes: %d %q, want %d codes", res.StatusCode, res.Header.Get("Location"), len(p1.CodeSpecs()))
	}
	codes, _ := f.store.Codes(ctx, id)
	quota := 0
	for _, k := range codes {
		quota += k.Quota
	}
	if quota != p1.Total {
		t.Errorf("codes carry %d places, the plan %d", quota, p1.Total)
	}
	if res, _ := coord.form(base+"/plan/codes", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("issuing the plan twice: %d", res.StatusCode)
	}
	res, body = coord.get(base + "/sheets.zip")
	if res.StatusCode != http.StatusOK || !bytes.HasPrefix(body, []byte("PK")) {
		t.Errorf("QR sheets: %d", res.StatusCode)
	}

	// Through the API: problems come back as data; after opening the plan is frozen.
	frameJSON, _ := good.JSON()
	broken := strings.Replace(string(frameJSON), `"population": 200000`, `"population": 199999`, 1)
	res, body = coord.do("PUT", "/api/v1/surveys/"+id+"/frame", "application/json", strings.NewReader(broken), nil)
	var out struct {
		Problems []sampling.Problem `json:"problems"`
	}
	if res.StatusCode != http.StatusUnprocessableEntity || json.Unmarshal(body, &out) != nil || len(out.Problems) == 0 {
		t.Errorf("API bad frame: %d %s", res.StatusCode, body)
	}
	if res, body := coord.do("PUT", "/api/v1/surveys/"+id+"/frame", "application/json", bytes.NewReader(frameJSON), nil); res.StatusCode != http.StatusOK {
		t.Errorf("API frame: %d %s", res.StatusCode, body)
	}
	if res, _ := coord.json("POST", "/api/v1/surveys/"+id+"/open", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("open: %d", res.StatusCode)
	}
	if res, _ := coord.json("POST", "/api/v1/surveys/"+id+"/plan", map[string]int{"seed": 7}); res.StatusCode != http.StatusConflict {
		t.Errorf("drawing after opening: %d, want 409", res.StatusCode)
	}
	if res, _ := coord.get("/api/v1/surveys/" + id + "/plan"); res.StatusCode != http.StatusOK {
		t.Errorf("API plan: %d", res.StatusCode)
	}
}
