package views

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"renke/account"
	"renke/api/httpx"
	"renke/report"
	"renke/survey"
	"renke/web/console"
)

// findingFor looks up the stuffing finding named by the query (rule, school,
// group) in a report's quality section.
func findingFor(qs *report.QualitySummary, rule, school, group string) (report.Finding, bool) {
	if qs == nil || qs.Stuffing == nil {
		return report.Finding{}, false
	}
	for _, f := range qs.Stuffing.Findings {
		if string(f.Rule) == rule && f.School == school && string(f.Group) == group {
			return f, true
		}
	}
	return report.Finding{}, false
}

// Evidence is the finding's responses as rows, in submission order.
func Evidence(d *report.Published, f report.Finding) ([]string, []console.EvidenceRow) {
	items := report.ItemIDs(d.Survey)
	want := map[string]bool{}
	for _, id := range f.ResponseIDs {
		want[id] = true
	}
	addrCount, devCount, staffAddr := map[string]int{}, map[string]int{}, map[string]bool{}
	for i := range d.Responses {
		r := &d.Responses[i]
		addrCount[r.AddrHash]++
		devCount[r.DeviceID]++
		if r.School == f.School && (r.Group == survey.Teacher || r.Group == survey.Principal) {
			staffAddr[r.AddrHash] = true
		}
	}
	addrLabel, devLabel := map[string]string{}, map[string]string{}
	label := func(m map[string]string, prefix, key string) string {
		if key == "" {
			return "—"
		}
		if _, ok := m[key]; !ok {
			m[key] = fmt.Sprintf("%s%d", prefix, len(m)+1)
		}
		return m[key]
	}
	var rows []console.EvidenceRow
	for i := range d.Responses { // chain order is submission order
		r := &d.Responses[i]
		if !want[r.ID] {
			continue
		}
		var b strings.Builder
		for _, it := range items {
			if a, ok := r.Answers[it]; ok {
				b.WriteString(a)
			} else if d.Survey.Forms[r.Form].ItemIndex(it) >= 0 {
				b.WriteString("-")
			}
		}
		row := console.EvidenceRow{ID: r.ID, Group: r.Group, CodeKind: string(r.CodeKind), Answers: b.String(),
			StartedAt: r.StartedAt, SubmittedAt: r.SubmittedAt, Seconds: r.CompletionTime().Seconds(),
			AddressGroup: label(addrLabel, "A", r.AddrHash), AddressResponses: addrCount[r.AddrHash],
			AddressStaff: r.AddrHash != "" && staffAddr[r.AddrHash],
			DeviceGroup:  label(devLabel, "D", r.DeviceID), DeviceResponses: devCount[r.DeviceID], Flags: []string{}}
		if dec, ok := d.Quality.Decision(r.ID); ok {
			for _, fl := range dec.Flags {
				row.Flags = append(row.Flags, fl.Label())
			}
			row.Excluded = dec.Excluded
		}
		rows = append(rows, row)
	}
	return items, rows
}

// stuffingEvidence builds the report and finds the finding the request names.
func (s *Views) stuffingEvidence(c *gin.Context, sv *survey.Survey) (report.Finding, *report.Published, error) {
	d, err := s.Reports.Build(c.Request.Context(), s.Store, sv.ID)
	if errors.Is(err, survey.ErrUnavailable) {
		return report.Finding{}, nil, err
	}
	if err != nil {
		return report.Finding{}, nil, httpx.E(http.StatusConflict, "报告暂不能生成："+err.Error())
	}
	if !d.HasData() {
		return report.Finding{}, nil, httpx.E(http.StatusConflict, "报告暂不能生成："+d.NoData)
	}
	f, ok := findingFor(d.Report.Quality, c.Query("rule"), c.Query("school"), c.Query("group"))
	if !ok {
		return report.Finding{}, nil, httpx.E(http.StatusNotFound, "没有这项作答模式证据（规则、学校或群体不符，或已不再列出）")
	}
	return f, d, nil
}

// StuffingFinding reads survey :id (for a user who may view reports) and
// the finding the query names; on failure it has answered (ok false).
func (s *Views) StuffingFinding(c *gin.Context) (*survey.Survey, report.Finding, *report.Published, bool) {
	sv, err := s.Access.SurveyFor(c, account.ViewReports)
	if err != nil {
		s.Out.Fail(c, err)
		return nil, report.Finding{}, nil, false
	}
	f, d, err := s.stuffingEvidence(c, sv)
	if err != nil {
		if !s.ReportStoreDown(c, err) {
			s.Out.Fail(c, err)
		}
		return nil, report.Finding{}, nil, false
	}
	return sv, f, d, true
}
