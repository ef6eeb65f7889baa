package dossier

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"renke/report"
	"renke/survey"
)

// checkCodes checks every response against the access code it names, and
// compares the places the codes open with the plan's quotas.
func checkCodes(res *Result, c *Contents) {
	byHash := map[string]*survey.Code{}
	for i := range c.Codes {
		byHash[c.Codes[i].Code] = &c.Codes[i]
	}
	for i := range c.Responses {
		r := &c.Responses[i]
		k := byHash[tokenHash(r.Code)]
		at := fmt.Sprintf("%s 第 %d 行（seq %d，应答 %s）", FileResponses, i+1, r.Seq, r.ID)
		switch {
		case k == nil:
			res.fail("%s：所用访问码不在 %s 中", at, FileCodes)
		case k.Group != r.Group || k.School != r.School || k.Kind != r.CodeKind:
			res.fail("%s：组别、学校或码类型与其访问码不符", at)
		}
	}
	if c.Plan == nil {
		return
	}
	type place struct {
		g      survey.Group
		school string
		band   survey.Band
		urb    survey.Urbanicity
	}
	planned, issued := map[place]int{}, map[place]int{}
	for _, sp := range c.Plan.CodeSpecs() {
		planned[place{sp.Group, sp.School.Code, sp.Band, sp.Urbanicity}] += sp.Quota
	}
	for _, k := range c.Codes {
		n := k.Quota
		if k.Kind == survey.OneTimeCode {
			n = 1
		}
		issued[place{k.Group, k.School, k.Band, k.Urbanicity}] += n
	}
	var off []string
	for p, n := range planned {
		if issued[p] != n {
			off = append(off, fmt.Sprintf("%s %s %s %s：方案 %d，访问码 %d", p.g.Label(), p.school, p.urb, p.band, n, issued[p]))
		}
	}
	for p, n := range issued {
		if _, ok := planned[p]; !ok {
			off = append(off, fmt.Sprintf("%s %s %s %s：方案 0，访问码 %d", p.g.Label(), p.school, p.urb, p.band, n))
		}
	}
	sort.Strings(off)
	if len(off) == 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("访问码与抽样方案的 %d 个配额一致", len(planned)))
		return
	}
	if len(off) > 5 {
		off = append(off[:5], fmt.Sprintf("等 %d 处", len(off)))
	}
	res.Notes = append(res.Notes, "访问码与抽样方案的配额不同（可能另行发放过访问码）："+strings.Join(off, "；"))
}

// recompute estimates afresh from the responses and settings and compares
// the result with the published one, and rewrites the files derived from
// them (replication file, results.csv, codebook, R script) to compare.
func recompute(res *Result, c *Contents, files map[string][]byte) {
	d, err := derive(c)
	if err != nil {
		res.fail("重算：%v", err)
		return
	}
	rep, err := report.EstimateSurvey(d)
	if err != nil {
		res.fail("重算：%v", err)
		return
	}
	rep.SurveyID, rep.County, rep.Title = c.Survey.ID, c.Survey.County, c.Survey.Title
	rep.ChainLength, rep.ChainHead = c.Report.ChainLength, c.Report.ChainHead
	res.Valid, res.Rate = rep.Counts.Valid, rep.Overall.Rate
	for _, p := range compareResults(rep, files[FileResults]) {
		res.fail("%s：%s", FileResults, p)
	}
	var buf bytes.Buffer
	d.Report = rep
	if err := report.WriteReplication(&buf, d); err != nil {
		res.fail("重算 %s：%v", FileReplication, err)
	} else {
		compareLines(res, FileReplication, files[FileReplication], buf.Bytes())
	}
	derived := []struct {
		name string
		make func() ([]byte, error)
	}{
		{FileResultsCSV, func() ([]byte, error) { return resultsCSV(c.Report) }},
		{FileCodebook, func() ([]byte, error) { return codebook(c.Survey) }},
		{FileRScript, func() ([]byte, error) { return rScript(c.Survey, c.Report.Overall.Bar) }},
	}
	for _, f := range derived {
		want, err := f.make()
		if err != nil {
			res.fail("重写 %s：%v", f.name, err)
			continue
		}
		compareLines(res, f.name, files[f.name], want)
	}
}

// compareLines names the lines of a file that differ from what the package's
// data give (the first few, and how many).
func compareLines(res *Result, name string, got, want []byte) {
	gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	var bad []int
	for i := 0; i < max(len(gl), len(wl)); i++ {
		if i >= len(gl) || i >= len(wl) || !bytes.Equal(gl[i], wl[i]) {
			bad = append(bad, i+1)
		}
	}
	if len(bad) == 0 {
		return
	}
	msg := fmt.Sprintf("%s 第 %d 行与由应答和设置重算的内容不符", name, bad[0])
	if len(bad) > 1 {
		msg += fmt.Sprintf("（共 %d 行不符）", len(bad))
	}
	res.fail("%s", msg)
}

// compareResults compares the recomputed report with the published JSON,
// number by number within tolerance, and names every differing field.
func compareResults(rep any, published []byte) []string {
	b, err := json.Marshal(rep)
	if err != nil {
		return []string{err.Error()}
	}
	var got, want map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		return []string{err.Error()}
	}
	if err := json.Unmarshal(published, &want); err != nil {
		return []string{"无法读取：" + err.Error()}
	}
	var out []string
	for _, k := range resultKeys {
		diffJSON(k, got[k], want[k], &out)
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("等共 %d 处", len(out)))
	}
	return out
}

// diffJSON appends the paths where a (recomputed) and b (published) differ.
func diffJSON(path string, a, b any, out *[]string) {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(av))
		for k := range av {
			keys = append(keys, k)
		}
		for k := range bv {
			if _, ok := av[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			diffJSON(path+"."+k, av[k], bv[k], out)
		}
		return
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			break
		}
		for i := range av {
			diffJSON(fmt.Sprintf("%s[%d]", path, i), av[i], bv[i], out)
		}
		return
	case float64:
		if bv, ok := b.(float64); ok && math.Abs(av-bv) <= tolerance {
			return
		}
	default:
		if fmt.Sprint(a) == fmt.Sprint(b) {
			return
		}
	}
	*out = append(*out, fmt.Sprintf("%s 重算为 %s，已发布为 %s", path, short(a), short(b)))
}

// short writes a JSON value briefly.
func short(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:77]) + "…"
	}
	return string(b)
}
