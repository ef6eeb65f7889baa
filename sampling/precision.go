package sampling

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"

	"renke/survey"
)

// Precision is what a plan promises before any answer arrives.
type Precision struct {
	AssumedRate float64 `json:"assumed_rate"`
	AssumedICC  float64 `json:"assumed_icc"`
	// DesignEffect is the expected variance over that of a simple random sample
	// of the same group sizes.
	DesignEffect float64 `json:"design_effect"`
	// DF is the degrees of freedom of the design: PSUs minus strata.
	DF int `json:"df"`
	// ExpectedSE is the standard error of the overall rate.
	ExpectedSE float64 `json:"expected_se"`
	// ExpectedPassProbability is the chance that the estimate reaches PassMark.
	ExpectedPassProbability float64 `json:"expected_pass_probability"`
}

// expectedPrecision models the overall rate ŷ = Σ W_g ŷ_g under a random
// school effect. Every respondent's score has variance σ² = p(1−p) at the
// assumed rate p. Students, parents and teachers of one school share a school
// effect with variance ρσ² (ρ the intra-school correlation; the same effect
// for the three groups, which is the conservative choice since they answer
// about the same school); the rest, (1−ρ)σ², is individual. Principals,
// deputies, CPPCC members and the public are independent draws. With m_gs the
// plan's quota of group g in school s and n_g the group's total:
//
//	Var(ŷ) = σ² [ ρ Σ_s (Σ_g W_g m_gs/n_g)² + (1−ρ) Σ_{g via school} W_g²/n_g + Σ_{other g} W_g²/n_g ]
//
// with W_g normalised over the groups with a quota. Weighting within groups and
// the finite population are ignored. The design effect is Var(ŷ) over the same
// sum with ρ = 0. df = PSUs − strata as in docs/method.md §4: the drawn schools in
// up to three strata, each county-level respondent its own PSU in stratum
// group × urbanicity. The pass probability is P(ŷ ≥ 0.85) with
// ŷ = p + SE·t_df (Student's t, as the report's verdict uses).
func expectedPrecision(p *Plan, opt Options) Precision {
	pr := Precision{AssumedRate: opt.AssumedRate, AssumedICC: opt.ICC}
	wsum := 0.0
	for _, g := range survey.Groups {
		if p.ByGroup[g] > 0 {
			wsum += opt.GroupWeights[g]
		}
	}
	if wsum <= 0 {
		return pr
	}
	w := func(g survey.Group) float64 {
		if p.ByGroup[g] == 0 {
			return 0
		}
		return opt.GroupWeights[g] / wsum
	}
	srs, indiv, cluster := 0.0, 0.0, 0.0
	for _, g := range survey.Groups {
		if n := p.ByGroup[g]; n > 0 {
			srs += w(g) * w(g) / float64(n)
		}
	}
	indiv = srs
	for _, s := range p.Schools {
		c := 0.0
		for _, q := range s.Quotas {
			c += w(q.Group) * float64(q.Quota) / float64(p.ByGroup[q.Group])
		}
		cluster += c * c
	}
	for _, g := range survey.Groups {
		if n := p.ByGroup[g]; n > 0 && g.ViaSchool() {
			indiv -= opt.ICC * w(g) * w(g) / float64(n)
		}
	}
	sigma2 := opt.AssumedRate * (1 - opt.AssumedRate)
	v := sigma2 * (opt.ICC*cluster + indiv)
	pr.ExpectedSE = math.Sqrt(v)
	pr.DesignEffect = v / (sigma2 * srs)
	psus, strata := 0, 0
	for _, st := range p.Strata {
		if st.Drawn > 0 {
			psus += st.Drawn
			strata++
		}
	}
	for _, q := range p.CountyQuotas {
		psus += q.Quota
		strata++
	}
	pr.DF = max(psus-strata, 1)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(pr.DF)}
	pr.ExpectedPassProbability = t.CDF((opt.AssumedRate - PassMark) / pr.ExpectedSE)
	return pr
}
