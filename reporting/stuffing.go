package reporting

import (
	"fmt"

	"renke/report"
)

// stuffingEffects gives each stuffing finding of qs the county's overall
// rate and interval as reported, with the finding's responses left out and
// with them counted (METHOD.md §5: evidence, not verdicts).
func stuffingEffects(d *Data, rep *report.Report, qs *report.QualitySummary) error {
	if qs.Stuffing == nil {
		return nil
	}
	reported := rateCI(rep)
	for k := range qs.Stuffing.Findings {
		f := &qs.Stuffing.Findings[k]
		eff := &report.Effect{Reported: reported, Without: reported, With: reported}
		anyIn, anyOut := false, false
		for _, id := range f.ResponseIDs {
			if dec, ok := d.Quality.Decision(id); ok && dec.Excluded {
				anyOut = true
			} else {
				anyIn = true
			}
		}
		for _, way := range []struct {
			exclude bool
			needed  bool
			into    *report.RateCI
		}{{true, anyIn, &eff.Without}, {false, anyOut, &eff.With}} {
			if !way.needed {
				continue
			}
			toggle := make(map[string]bool, len(f.ResponseIDs))
			for _, id := range f.ResponseIDs {
				toggle[id] = way.exclude
			}
			alt, err := estimate(d, toggle)
			if err != nil {
				return fmt.Errorf("effect of stuffing finding %s at %s: %w", f.Rule, f.School, err)
			}
			*way.into = rateCI(alt)
		}
		f.Effect = eff
	}
	return nil
}

func rateCI(rep *report.Report) report.RateCI {
	o := rep.Overall
	return report.RateCI{Rate: o.Rate, CILow: o.CILow, CIHigh: o.CIHigh, N: o.N}
}
