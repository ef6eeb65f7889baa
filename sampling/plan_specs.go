package sampling

import (
	"renke/survey"
)

// CodeSpecs turns the plan into the shared access codes a survey needs, one
// per drawn school × group × band (students, parents, teachers) and one per
// county-level quota (principals and the public per stratum, deputies and
// CPPCC members county-wide), each carrying its quota. Issuing them (see
// survey.IssueSpec.Issue) creates the survey's quotas and codes in one step.
// Schools come in plan order, quotas in group and band order.
func (p *Plan) CodeSpecs() []survey.IssueSpec {
	var out []survey.IssueSpec
	for i := range p.Schools {
		s := &p.Schools[i]
		for _, q := range s.Quotas {
			if q.Quota < 1 {
				continue
			}
			out = append(out, survey.IssueSpec{Kind: survey.SharedCode, Group: q.Group, School: s.Survey(),
				Band: q.Band, Urbanicity: s.Urbanicity, Quota: q.Quota})
		}
	}
	for _, q := range p.CountyQuotas {
		if q.Quota < 1 {
			continue
		}
		out = append(out, survey.IssueSpec{Kind: survey.SharedCode, Group: q.Group, Band: q.Band,
			Urbanicity: q.Urbanicity, Quota: q.Quota})
	}
	return out
}
