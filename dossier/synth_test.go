package dossier

import (
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"renke/report"
	"renke/survey"
)

// synthContents is a survey unlike the demo's: custom group weights with
// teachers at 0, no frame (every weight 1) and no plan, a stratum with a
// single respondent (one principal in 镇区) and a school with one respondent.
func synthContents(t testing.TB) *Contents {
	t.Helper()
	sv, err := survey.NewSurvey("合成县", "合成调查", fixedNow.Add(-48*time.Hour), fixedNow.Add(48*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	sv.GroupWeights = map[survey.Group]float64{survey.Student: 0.2, survey.Parent: 0.4, survey.Teacher: 0,
		survey.Principal: 0.1, survey.Deputy: 0.1, survey.CPPCC: 0.1, survey.Public: 0.1}
	rng := rand.New(rand.NewPCG(5, 9))
	c := &Contents{Survey: sv, Quality: report.QualityConfig{}, Generated: fixedNow, Version: "test"}
	groups := []survey.Group{survey.Student, survey.Parent, survey.Teacher, survey.Principal, survey.Public, survey.Deputy}
	seq, head := int64(0), survey.GenesisHash
	add := func(i int, g survey.Group, urb survey.Urbanicity, school string) {
		r := &survey.Response{ID: fmt.Sprintf("r%04d", i), SurveyID: sv.ID, Code: fmt.Sprintf("code%04d", i),
			CodeKind: survey.OneTimeCode, Group: g, Urbanicity: urb, School: school, DeviceID: fmt.Sprint("d", i),
			AddrHash: fmt.Sprint("a", i), UAFamily: "wechat", Answers: map[string]string{},
			StartedAt:   fixedNow.Add(-time.Duration(400+i) * time.Minute),
			SubmittedAt: fixedNow.Add(-time.Duration(i) * time.Minute)}
		if bands := survey.BandsFor(g); len(bands) > 0 {
			r.Band = bands[rng.IntN(len(bands))]
		}
		q := sv.Forms[g.Form()]
		r.Form, r.FormVersion = q.Kind, q.Version
		for _, it := range q.Items {
			r.Answers[it.ID] = survey.OptionCodes[min(rng.IntN(8), 4)]
		}
		r.Seal(seq, head)
		seq, head = r.Seq, r.Hash
		c.Responses = append(c.Responses, *r)
		c.Codes = append(c.Codes, survey.Code{Code: r.Code, SurveyID: sv.ID, Kind: survey.OneTimeCode, Group: g,
			School: school, Urbanicity: urb})
	}
	for i := range 300 {
		g := groups[rng.IntN(len(groups))]
		urb := []survey.Urbanicity{survey.Urban, survey.Rural}[rng.IntN(2)]
		school := ""
		if g.ViaSchool() {
			school = fmt.Sprintf("S%d-%s", rng.IntN(6), urb)
		}
		if g == survey.Principal {
			urb = survey.Urban
		}
		add(i, g, urb, school)
	}
	add(300, survey.Principal, survey.Town, "")    // alone in its stratum
	add(301, survey.Student, survey.Town, "S9-镇区") // alone in its school
	add(302, survey.Parent, survey.Town, "S8-镇区")
	add(303, survey.Parent, survey.Town, "S8-镇区")
	return demoContentsReport(t, c)
}

// TestRScriptReproducesUnusualDesigns runs reproduce.R on synthContents.
func TestRScriptReproducesUnusualDesigns(t *testing.T) {
	r := rscript(t)
	c := synthContents(t)
	key := testKey(t, 1)
	pkg := pack(t, c, key)
	if res := verify(t, pkg, Options{}); !res.OK() {
		t.Fatalf("synthetic package: %s", problems(res))
	}
	if len(c.Report.Design.LonelyStrata) == 0 {
		t.Fatal("the synthetic survey has no stratum with a single PSU")
	}
	dir := unpackTo(t, unpack(t, pkg))
	out, err := exec.Command(r, filepath.Join(dir, FileRScript), dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "复算一致") || !strings.Contains(string(out), "group:teacher") {
		t.Fatalf("reproduce.R: %v\n%s", err, out)
	}
	t.Logf("reproduce.R:\n%s", out)
}
