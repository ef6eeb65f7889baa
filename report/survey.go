package report

import (
	"fmt"

	"renke/survey"
)

// ConfigFor is the estimator configuration of a stored survey: its forms,
// scoring scheme and group weights, with the frame's cell counts N_c
// (CellKey → N_c; nil gives every respondent weight 1).
func ConfigFor(sv *survey.Survey, frame map[string]float64) Config {
	return Config{Frame: frame, GroupWeights: sv.GroupWeights, Forms: sv.Forms, Scheme: sv.Scheme}
}

// AddResponse scores a raw response with the configured forms and scheme
// (Config.Forms, Config.Scheme; nil scheme: survey.DefaultScheme) and adds
// it; excluded carries the quality decision (Quality.Decision).
func (e *Estimator) AddResponse(r *survey.Response, excluded bool) error {
	q, ok := e.cfg.Forms[r.Group.Form()]
	if !ok {
		return fmt.Errorf("应答 %s：没有 %s 组所答问卷（%s）的题目", r.ID, r.Group, r.Group.Form())
	}
	scheme := e.cfg.Scheme
	if scheme == nil {
		scheme = survey.DefaultScheme()
	}
	u := FromResponse(r, q, scheme)
	u.Excluded = excluded
	return e.Add(u)
}

// ItemColumns lists the item ids of the forms for the replication file's
// answer columns: forms in order student, staff, social, items in form
// order, an id shared by two forms once (a respondent answers one form).
func ItemColumns(forms map[survey.FormKind]survey.Questionnaire) []string {
	var ids []string
	seen := map[string]bool{}
	for _, k := range survey.FormKinds {
		for _, it := range forms[k].Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				ids = append(ids, it.ID)
			}
		}
	}
	return ids
}

// ReplicationRow is a response's row of the replication file. Call it after
// every response has been added (the weight N_c/n_c needs every n_c): the
// export reads the responses twice.
func (e *Estimator) ReplicationRow(r *survey.Response, d Decision) ReplicationRow {
	stratum, psu := DesignLabels(r)
	scheme := e.cfg.Scheme
	if scheme == nil {
		scheme = survey.DefaultScheme()
	}
	row := ReplicationRow{ResponseID: r.ID, Group: r.Group, Stratum: stratum, PSU: psu,
		Weight: e.CellWeight(CellKey(r.Group, r.Urbanicity, r.Band)), Excluded: d.Excluded, Answers: r.Answers}
	row.Y, row.HasY = scheme.RespondentScore(r.Answers)
	for _, f := range d.Flags {
		row.Flags = append(row.Flags, string(f))
	}
	return row
}
