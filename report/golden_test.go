package report

import (
	"bytes"
	"encoding/csv"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"renke/survey"
)

// The golden files in testdata were written by testdata/golden.R with R's
// survey package; TestGoldenRegenerate reruns it when R is installed.

const goldenTol = 1e-9

// fixtureForms are the three-item forms of testdata/design.csv (golden.R
// declares the same).
func fixtureForms() map[survey.FormKind]survey.Questionnaire {
	mk := func(k survey.FormKind, ids, dims []string) survey.Questionnaire {
		q := survey.Questionnaire{Kind: k, Version: 1}
		for i := range ids {
			q.Items = append(q.Items, survey.Item{ID: ids[i], Text: "题目 " + ids[i], Dimension: dims[i]})
		}
		return q
	}
	return map[survey.FormKind]survey.Questionnaire{
		survey.StudentForm: mk(survey.StudentForm, []string{"s1", "s2", "s3"}, []string{"教育公平", "教育公平", "教育质量"}),
		survey.StaffForm:   mk(survey.StaffForm, []string{"t1", "t2", "t3"}, []string{"教育公平", "规范办学", "教育质量"}),
		survey.SocialForm:  mk(survey.SocialForm, []string{"c1", "c2", "c3"}, []string{"教育公平", "教育质量", "教育质量"}),
	}
}

// readCSV reads a CSV file of testdata into header-keyed records.
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte(bom)))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	if s == "NA" || s == "" {
		return math.NaN()
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("number %q: %v", s, err)
	}
	return v
}

// fixtureUnits reads testdata/design.csv.
func fixtureUnits(t *testing.T) []Unit {
	var units []Unit
	for _, r := range readCSV(t, "testdata/design.csv") {
		u := Unit{ID: r["id"], Group: survey.Group(r["group"]), Cell: r["cell"], Stratum: r["stratum"],
			PSU: r["psu"], Weight: 1, Excluded: strings.EqualFold(r["excluded"], "true"),
			Urbanicity: survey.Urbanicity(r["urbanicity"]), Township: r["township"], School: r["school"],
			Form: survey.FormKind(r["form"])}
		if got := CellKey(u.Group, u.Urbanicity, survey.Band(r["band"])); got != u.Cell {
			t.Fatalf("fixture cell %q, CellKey gives %q", u.Cell, got)
		}
		var sum float64
		n := 0
		for _, c := range []string{"a1", "a2", "a3"} {
			v := num(t, r[c])
			u.Scores = append(u.Scores, v)
			if !math.IsNaN(v) {
				sum += v
				n++
			}
		}
		if n > 0 {
			u.Y, u.HasY = sum/float64(n), true
		}
		units = append(units, u)
	}
	return units
}

func fixtureFrame(t *testing.T) map[string]float64 {
	f := map[string]float64{}
	for _, r := range readCSV(t, "testdata/frame.csv") {
		f[r["cell"]] = num(t, r["N"])
	}
	return f
}

func estimateUnits(t *testing.T, cfg Config, units []Unit) *Estimator {
	t.Helper()
	e, err := NewEstimator(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if err := e.Add(u); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// checkEstimate compares an Estimate with a golden row.
func checkEstimate(t *testing.T, key string, got Estimate, want map[string]string) {
	t.Helper()
	near := func(field string, g float64) {
		w := num(t, want[field])
		if math.IsNaN(w) || math.Abs(g-w) > goldenTol {
			t.Errorf("%s %s: got %.17g, R %.17g", key, field, g, w)
		}
	}
	optional := func(field string, g *float64) {
		w := num(t, want[field])
		switch {
		case math.IsNaN(w) && g != nil:
			t.Errorf("%s %s: got %.17g, R has none", key, field, *g)
		case !math.IsNaN(w) && g == nil:
			t.Errorf("%s %s: got none, R %.17g", key, field, w)
		case g != nil && math.Abs(*g-w) > goldenTol*math.Max(1, math.Abs(w)):
			t.Errorf("%s %s: got %.17g, R %.17g", key, field, *g, w)
		}
	}
	near("rate", got.Rate)
	near("se", got.SE)
	near("ci_low", got.CILow)
	near("ci_high", got.CIHigh)
	if w := num(t, want["population"]); math.Abs(got.Population-w) > goldenTol*w {
		t.Errorf("%s population: got %.17g, R %.17g", key, got.Population, w)
	}
	if got.N != int(num(t, want["n"])) || got.DF != int(num(t, want["df"])) {
		t.Errorf("%s: n, df = %d, %d; R %s, %s", key, got.N, got.DF, want["n"], want["df"])
	}
	optional("deff", got.Deff)
	optional("pass_probability", got.PassProbability)
}

func TestGoldenDesign(t *testing.T) {
	units := fixtureUnits(t)
	cfg := Config{Frame: fixtureFrame(t), Forms: fixtureForms()}
	rep, err := estimateUnits(t, cfg, units).Report()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Estimate{"overall": rep.Overall.Estimate}
	for _, g := range rep.Groups {
		got["group:"+string(g.Group)] = g.Estimate
	}
	for _, d := range rep.Dimensions {
		got["dim:"+d.Dimension] = d.Estimate
		for _, g := range d.ByGroup {
			got["dim:"+d.Dimension+":group:"+string(g.Group)] = g.Estimate
		}
	}
	for _, it := range rep.Items {
		got["item:"+string(it.Form)+":"+it.Item] = it.Estimate
	}
	for _, d := range rep.Urbanicities {
		got["urb:"+d.Key] = d.Estimate
	}
	for _, d := range rep.Townships {
		got["township:"+d.Key] = d.Estimate
	}
	schools := map[string]SchoolRow{}
	for _, s := range rep.Schools {
		got["school:"+s.School] = s.Estimate
		schools["school:"+s.School] = s
	}
	cfg.GroupWeights = map[survey.Group]float64{survey.Student: 0.2, survey.Parent: 0.4, survey.Teacher: 0,
		survey.Principal: 0.1, survey.Deputy: 0.1, survey.CPPCC: 0.1, survey.Public: 0.1}
	custom, err := estimateUnits(t, cfg, units).Summary()
	if err != nil {
		t.Fatal(err)
	}
	got["custom:overall"] = custom.Overall.Estimate

	golden := readCSV(t, "testdata/design_golden.csv")
	for _, w := range golden {
		key := w["key"]
		g, ok := got[key]
		if !ok {
			t.Errorf("%s: R has it, report has not", key)
			continue
		}
		checkEstimate(t, key, g, w)
		if s, ok := schools[key]; ok {
			for field, v := range map[string]float64{"unweighted_rate": s.UnweightedRate, "wilson_low": s.WilsonLow, "wilson_high": s.WilsonHigh} {
				if math.Abs(v-num(t, w[field])) > goldenTol {
					t.Errorf("%s %s: got %.17g, R %s", key, field, v, w[field])
				}
			}
		}
		delete(got, key)
	}
	for key := range got {
		t.Errorf("%s: report has it, R has not", key)
	}
	if len(golden) < 40 {
		t.Fatalf("only %d golden rows", len(golden))
	}

	cells := map[string]CellRow{}
	for _, c := range rep.Cells {
		cells[c.Cell] = c
	}
	for _, w := range readCSV(t, "testdata/design_weights.csv") {
		c, ok := cells[w["cell"]]
		if !ok || c.N != int(num(t, w["n"])) || math.Abs(c.Weight-num(t, w["weight"])) > goldenTol*num(t, w["weight"]) {
			t.Errorf("cell %s: got %+v, R n=%s weight=%s", w["cell"], c, w["n"], w["weight"])
		}
	}
	if rep.Counts != (Counts{Responses: 101, Excluded: 3, NoScore: 2, Valid: 96}) {
		t.Errorf("counts %+v", rep.Counts)
	}
	if want := []string{"cppcc|城区", "principal|乡村", "school|乡村"}; strings.Join(rep.Design.LonelyStrata, ",") != strings.Join(want, ",") {
		t.Errorf("lonely strata %v, want %v", rep.Design.LonelyStrata, want)
	}
}

func TestGoldenReplication(t *testing.T) {
	f, err := os.Open("testdata/replication.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rr, err := NewReplicationReader(f)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEstimator(Config{PrecomputedWeights: true})
	if err != nil {
		t.Fatal(err)
	}
	for {
		row, err := rr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Add(row.Unit()); err != nil {
			t.Fatal(err)
		}
	}
	s, err := e.Summary()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Estimate{"overall": s.Overall.Estimate}
	for _, g := range s.Groups {
		got["group:"+string(g.Group)] = g.Estimate
	}
	golden := readCSV(t, "testdata/replication_golden.csv")
	for _, w := range golden {
		g, ok := got[w["key"]]
		if !ok {
			t.Errorf("%s: R has it, Go has not", w["key"])
			continue
		}
		checkEstimate(t, w["key"], g, w)
		delete(got, w["key"])
	}
	if len(got) > 0 || len(golden) < 5 {
		t.Errorf("unmatched estimates %v (golden rows %d)", got, len(golden))
	}
}

// TestGoldenRegenerate reruns golden.R and checks that R still writes the
// committed golden files, to the last printed digit but a few ulps.
func TestGoldenRegenerate(t *testing.T) {
	if _, err := exec.LookPath("Rscript"); err != nil {
		t.Skip("Rscript not installed: the committed golden files are used as they are")
	}
	if err := exec.Command("Rscript", "-e", "library(survey)").Run(); err != nil {
		t.Skip("R package survey not installed (apt-get install r-cran-survey)")
	}
	dir := t.TempDir()
	cmd := exec.Command("Rscript", "golden.R", dir)
	cmd.Dir = "testdata"
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("golden.R: %v\n%s", err, out)
	}
	for _, name := range []string{"design_golden.csv", "design_weights.csv", "replication_golden.csv"} {
		committed := readCSV(t, filepath.Join("testdata", name))
		fresh := readCSV(t, filepath.Join(dir, name))
		if len(committed) != len(fresh) {
			t.Fatalf("%s: %d rows committed, R now writes %d", name, len(committed), len(fresh))
		}
		for i := range fresh {
			for k, v := range fresh[i] {
				c := committed[i][k]
				if v == c {
					continue
				}
				a, errA := strconv.ParseFloat(v, 64)
				b, errB := strconv.ParseFloat(c, 64)
				if errA != nil || errB != nil || math.Abs(a-b) > 1e-12*math.Max(1, math.Abs(b)) {
					t.Errorf("%s row %d %s: committed %s, R now %s", name, i+1, k, c, v)
				}
			}
		}
	}
}
