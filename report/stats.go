package report

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Estimate is one rate with its design-based uncertainty (docs/method.md §4).
//
// JSON fields: rate, se, df, ci_low, ci_high (95%, Student's t, clipped to
// [0, 1]), n (respondents rated), population (Σw, the estimated population
// the rate is about), deff (design effect as R's svymean(deff=TRUE): the
// design variance over the variance of simple random sampling without
// replacement of n from population), effective_n (n/deff) and
// pass_probability (T_df((rate−bar)/se)). deff and effective_n are null when
// undefined (fewer than two respondents, or population ≤ n); pass_probability
// is null when df < 1 and se > 0.
type Estimate struct {
	Rate            float64  `json:"rate"`
	SE              float64  `json:"se"`
	DF              int      `json:"df"`
	CILow           float64  `json:"ci_low"`
	CIHigh          float64  `json:"ci_high"`
	N               int      `json:"n"`
	Population      float64  `json:"population"`
	Deff            *float64 `json:"deff"`
	EffectiveN      *float64 `json:"effective_n"`
	PassProbability *float64 `json:"pass_probability"`
}

// Confidence is the interval's coverage.
const Confidence = 0.95

// zeroSE is the standard error below which a rate's SE is rounding noise
// (sums of squares of PSU totals that are zero in exact arithmetic, as for a
// school, which is one PSU) and is reported as 0.
const zeroSE = 1e-12

// tQuantile is the Student-t quantile t(p, df).
func tQuantile(p float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

// tCDF is the Student-t distribution function.
func tCDF(x float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.CDF(x)
}

func clip01(x float64) float64 { return math.Min(1, math.Max(0, x)) }

// finish builds an Estimate from the point estimate, its variance, the
// variance under simple random sampling (NaN when undefined) and the design's
// degrees of freedom.
func finish(rate, variance float64, n int, population, vsrs float64, df int, bar float64) Estimate {
	se := math.Sqrt(math.Max(variance, 0))
	if se < zeroSE {
		se, variance = 0, 0
	}
	est := Estimate{Rate: rate, SE: se, DF: df, N: n, Population: population}
	switch {
	case se == 0:
		est.CILow, est.CIHigh = clip01(rate), clip01(rate)
		p := 0.0
		if rate >= bar {
			p = 1
		}
		est.PassProbability = &p
	case df < 1:
		est.CILow, est.CIHigh = 0, 1
	default:
		t := tQuantile(1-(1-Confidence)/2, df)
		est.CILow, est.CIHigh = clip01(rate-t*se), clip01(rate+t*se)
		p := tCDF((rate-bar)/se, df)
		est.PassProbability = &p
	}
	if vsrs > 0 && !math.IsInf(vsrs, 0) {
		d := variance / vsrs
		eff := float64(n) / d
		est.Deff = &d
		if d > 0 {
			est.EffectiveN = &eff
		}
	}
	return est
}

// srsVariance is the variance of a weighted mean under simple random sampling
// without replacement, as R's svymean(deff=TRUE) takes it: s²·(N−n)/(N·n),
// with s² = n/(n−1)·Σu(y−ȳ)²/Σu. It is NaN when n < 2 or N ≤ n.
func srsVariance(ssu, sumU float64, n int, population float64) float64 {
	nf := float64(n)
	if n < 2 || !(population > nf) || !(sumU > 0) {
		return nan
	}
	s2 := nf / (nf - 1) * ssu / sumU
	return s2 * (population - nf) / (population * nf)
}

// Wilson returns the 95% Wilson score interval for a proportion p observed
// on n units (R's prop.test(x, n, correct = FALSE)).
func Wilson(p float64, n int) (low, high float64) {
	if n <= 0 {
		return 0, 1
	}
	z := distuv.UnitNormal.Quantile(1 - (1-Confidence)/2)
	nf := float64(n)
	z2 := z * z
	centre := (p + z2/(2*nf)) / (1 + z2/nf)
	half := z / (1 + z2/nf) * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	return clip01(centre - half), clip01(centre + half)
}
