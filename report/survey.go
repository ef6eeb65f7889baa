package report

import (
	"fmt"
	"io"

	"renke/sampling"
	"renke/survey"
)

// EstimateSurvey is the one estimation path of a stored survey: it runs the
// estimator over the published data's responses (each excluded as its
// quality decision says), with the frame's cell counts and the survey's
// group weights, and gives each stuffing finding the county's rate with and
// without its responses. ErrNoData means no valid response.
func EstimateSurvey(p *Published) (*Report, error) {
	cells := CellPopulations(p.Frame)
	rep, err := estimateSurvey(p, cells, nil)
	if err != nil {
		return nil, err
	}
	qs := p.Quality.Summary()
	if err := stuffingEffects(p, cells, rep, &qs); err != nil {
		return nil, err
	}
	rep.Quality = &qs
	return rep, nil
}

// estimateSurvey runs the estimator over the responses with cell counts
// cells, each excluded as its quality decision says unless exclude (by
// response id) says otherwise.
func estimateSurvey(p *Published, cells map[string]float64, exclude map[string]bool) (*Report, error) {
	est, err := NewEstimator(Config{Frame: cells, GroupWeights: p.Survey.GroupWeights, Forms: p.Survey.Forms, Bar: DefaultBar})
	if err != nil {
		return nil, fmt.Errorf("estimator: %w", err)
	}
	for i := range p.Responses {
		r := &p.Responses[i]
		u := FromResponse(r, p.Survey.Forms[r.Form], p.Survey.Scheme)
		if dec, ok := p.Quality.Decision(r.ID); ok {
			u.Excluded = dec.Excluded
		}
		if x, ok := exclude[r.ID]; ok {
			u.Excluded = x
		}
		if err := est.Add(u); err != nil {
			return nil, fmt.Errorf("estimator: response %s: %w", r.ID, err)
		}
	}
	rep, err := est.Report()
	if err != nil {
		return nil, fmt.Errorf("estimate: %w", err)
	}
	return rep, nil
}

// stuffingEffects gives each stuffing finding of qs the county's overall
// rate and interval as reported, with the finding's responses left out and
// with them counted (METHOD.md §5: evidence, not verdicts).
func stuffingEffects(p *Published, cells map[string]float64, rep *Report, qs *QualitySummary) error {
	if qs.Stuffing == nil {
		return nil
	}
	reported := rateCI(rep)
	for k := range qs.Stuffing.Findings {
		f := &qs.Stuffing.Findings[k]
		eff := &Effect{Reported: reported, Without: reported, With: reported}
		anyIn, anyOut := false, false
		for _, id := range f.ResponseIDs {
			if dec, ok := p.Quality.Decision(id); ok && dec.Excluded {
				anyOut = true
			} else {
				anyIn = true
			}
		}
		for _, way := range []struct {
			exclude bool
			needed  bool
			into    *RateCI
		}{{true, anyIn, &eff.Without}, {false, anyOut, &eff.With}} {
			if !way.needed {
				continue
			}
			toggle := make(map[string]bool, len(f.ResponseIDs))
			for _, id := range f.ResponseIDs {
				toggle[id] = way.exclude
			}
			alt, err := estimateSurvey(p, cells, toggle)
			if err != nil {
				return fmt.Errorf("effect of stuffing finding %s at %s: %w", f.Rule, f.School, err)
			}
			*way.into = rateCI(alt)
		}
		f.Effect = eff
	}
	return nil
}

func rateCI(rep *Report) RateCI {
	o := rep.Overall
	return RateCI{Rate: o.Rate, CILow: o.CILow, CIHigh: o.CIHigh, N: o.N}
}

// CellPopulations are the frame counts N_c of every weighting cell the frame
// counts (METHOD.md §4); nil without a frame, so every weight is 1.
func CellPopulations(f *sampling.Frame) map[string]float64 {
	if f == nil {
		return nil
	}
	out := map[string]float64{}
	for _, g := range survey.Groups {
		urbs := append([]survey.Urbanicity{""}, survey.Urbanicities...)
		bands := []survey.Band{""}
		if g.HasBand() {
			bands = survey.BandsFor(g)
		}
		for _, u := range urbs {
			for _, b := range bands {
				if n, ok := f.Population(g, u, b); ok && (u != "" || !g.HasBand()) {
					out[CellKey(g, u, b)] = float64(n)
				}
			}
		}
	}
	return out
}

// ItemIDs lists every item id of the survey's forms for the replication
// file's answer columns: forms in order student, staff, social, items in
// form order, an id shared by two forms once (a respondent answers one form).
func ItemIDs(sv *survey.Survey) []string {
	var ids []string
	seen := map[string]bool{}
	for _, k := range survey.FormKinds {
		for _, it := range sv.Forms[k].Items {
			if !seen[it.ID] {
				seen[it.ID] = true
				ids = append(ids, it.ID)
			}
		}
	}
	return ids
}

// WriteReplication writes the replication file of a published report: one
// row per response with its design stratum, PSU, cell weight, y, exclusion
// and flags, then every raw answer. p must have a report (HasData).
func WriteReplication(w io.Writer, p *Published) error {
	if !p.HasData() {
		return ErrNoData
	}
	weights := map[string]float64{}
	for _, c := range p.Report.Cells {
		weights[c.Cell] = c.Weight
	}
	rw, err := NewReplicationWriter(w, ItemIDs(p.Survey))
	if err != nil {
		return err
	}
	for i := range p.Responses {
		r := &p.Responses[i]
		u := FromResponse(r, p.Survey.Forms[r.Form], p.Survey.Scheme)
		row := ReplicationRow{ResponseID: r.ID, Group: r.Group, Stratum: u.Stratum, PSU: u.PSU,
			Weight: weights[u.Cell], Y: u.Y, HasY: u.HasY, Answers: r.Answers}
		if row.Weight == 0 {
			row.Weight = 1
		}
		if dec, ok := p.Quality.Decision(r.ID); ok {
			row.Excluded = dec.Excluded
			for _, f := range dec.Flags {
				row.Flags = append(row.Flags, string(f))
			}
		}
		if err := rw.Write(row); err != nil {
			return fmt.Errorf("replication row %s: %w", r.ID, err)
		}
	}
	return rw.Flush()
}
