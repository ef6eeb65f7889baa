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
