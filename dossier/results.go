package dossier

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"text/template"

	"renke/report"
	"renke/survey"
)

// resultsColumns are the columns of results.csv after key.
var resultsColumns = []string{"key", "n", "rate", "se", "df", "ci_low", "ci_high", "pass_probability"}

// resultsCSV writes the published overall and group estimates, every number
// in the shortest form that reads back to the same float.
func resultsCSV(rep *report.Report) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	row := func(key string, e report.Estimate) []string {
		pass := "NA"
		if e.PassProbability != nil {
			pass = num(*e.PassProbability)
		}
		return []string{key, strconv.Itoa(e.N), num(e.Rate), num(e.SE), strconv.Itoa(e.DF), num(e.CILow), num(e.CIHigh), pass}
	}
	recs := [][]string{resultsColumns, row("overall", rep.Overall.Estimate)}
	for _, g := range rep.Groups {
		recs = append(recs, row("group:"+string(g.Group), g.Estimate))
	}
	if err := w.WriteAll(recs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func num(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

//go:embed reproduce.R.tmpl
var rTemplate string

var rScriptTmpl = template.Must(template.New("reproduce.R").Parse(rTemplate))

// rScript is reproduce.R with the survey's group weights and pass mark.
func rScript(sv *survey.Survey, bar float64) ([]byte, error) {
	gw := groupWeights(sv)
	var groups, weights []string
	for _, g := range survey.Groups {
		groups = append(groups, strconv.Quote(string(g)))
		weights = append(weights, fmt.Sprintf("%s = %s", g, num(gw[g])))
	}
	var buf bytes.Buffer
	err := rScriptTmpl.Execute(&buf, map[string]string{"Bar": num(bar),
		"Groups": strings.Join(groups, ", "), "Weights": strings.Join(weights, ", ")})
	return buf.Bytes(), err
}
