package demo

import (
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"renke/survey"
)

// The answer model. A respondent i of group g at school s answers item j of
// dimension d with a scored positive answer (认可/比较认可/基本认可) with
// probability sigmoid(a_g + school_s + dim_d + e_i), e_i ~ N(0, personSD²),
// unless they pick 不了解 first. a_g is calibrated so that a typical
// respondent of the group (school effect 0) has the target rate below.
var groupTarget = map[survey.Group]float64{
	survey.Student: 0.95, survey.Parent: 0.885, survey.Teacher: 0.93, survey.Principal: 0.97,
	survey.Deputy: 0.95, survey.CPPCC: 0.935, survey.Public: 0.835,
}

// dimShift moves a dimension's logit: study load (课业负担) and resource
// sharing (资源共享) are where counties most often fall short.
var dimShift = map[string]float64{
	"教育公平": 0.15, "资源共享": -0.75, "规范办学": 0.2, "素质教育": 0.1, "考试评价改革": -0.2,
	"教育质量": 0.05, "立德树人": 0.35, "课业负担": -0.95, "总体认可": 0.25,
}

// dontKnow is each group's chance of answering 不了解 to an item, doubled on
// the dimensions outsiders know least (exam reform, resource sharing).
var dontKnow = map[survey.Group]float64{
	survey.Student: 0.03, survey.Parent: 0.04, survey.Teacher: 0.01, survey.Principal: 0.005,
	survey.Deputy: 0.03, survey.CPPCC: 0.03, survey.Public: 0.07,
}

// medianMinutes is each group's median completion time; times are lognormal
// around it (students read slowly, teachers know the questions).
var medianMinutes = map[survey.Group]float64{
	survey.Student: 5.5, survey.Parent: 4.8, survey.Teacher: 4.0, survey.Principal: 4.2,
	survey.Deputy: 4.5, survey.CPPCC: 4.5, survey.Public: 5.8,
}

// Model parameters.
const (
	personSD      = 1.1  // spread of respondents' attitudes, in logits
	schoolSD      = 0.3  // spread of ordinary schools
	lowSchool     = -1.6 // the logit shift of a school well below 85%
	timeSD        = 0.35 // lognormal sigma of completion times
	minGenuine    = 80 * time.Second
	maxGenuine    = 40 * time.Minute
	allPositiveP  = 0.04 // share of genuine respondents who tick 认可 throughout
	quadPoints    = 81
	calibrateIter = 60
)

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// expectedRate is the mean over the form's items of E[sigmoid(a + dim + e)], e ~ N(0, personSD²).
func expectedRate(a float64, q survey.Questionnaire) float64 {
	var sum, wsum float64
	for k := 0; k < quadPoints; k++ {
		z := -4 + 8*float64(k)/float64(quadPoints-1)
		w := math.Exp(-z * z / 2)
		for _, it := range q.Items {
			sum += w * sigmoid(a+dimShift[it.Dimension]+personSD*z)
		}
		wsum += w * float64(len(q.Items))
	}
	return sum / wsum
}

var calibrated sync.Map // group and the form's dimensions → a_g

// groupLogit is a_g: the intercept giving a typical respondent of g the target rate on q.
func groupLogit(g survey.Group, q survey.Questionnaire) float64 {
	key := string(g)
	for _, it := range q.Items {
		key += "|" + it.Dimension
	}
	if v, ok := calibrated.Load(key); ok {
		return v.(float64)
	}
	lo, hi := -10.0, 10.0
	for i := 0; i < calibrateIter; i++ {
		mid := (lo + hi) / 2
		if expectedRate(mid, q) < groupTarget[g] {
			lo = mid
		} else {
			hi = mid
		}
	}
	a := (lo + hi) / 2
	calibrated.Store(key, a)
	return a
}

// person is one simulated respondent's disposition.
type person struct {
	logit  float64 // a_g + school effect + e_i
	warmth float64 // 0..1: how often a positive answer is the strongest one
	dk     float64 // chance of 不了解 per item
	all1   bool    // ticks 认可 throughout
}

func newPerson(rng *rand.Rand, g survey.Group, q survey.Questionnaire, school float64) person {
	return person{
		logit:  groupLogit(g, q) + school + personSD*rng.NormFloat64(),
		warmth: rng.Float64(),
		dk:     dontKnow[g],
		all1:   rng.Float64() < allPositiveP,
	}
}

// answers fills the form as the person would.
func (p person) answers(rng *rand.Rand, q survey.Questionnaire) map[string]string {
	out := make(map[string]string, len(q.Items))
	for _, it := range q.Items {
		if p.all1 {
			out[it.ID] = survey.OptRecognise
			continue
		}
		dk := p.dk
		if it.Dimension == "考试评价改革" || it.Dimension == "资源共享" {
			dk *= 2
		}
		switch {
		case rng.Float64() < dk:
			out[it.ID] = survey.OptDontKnow
		case rng.Float64() < sigmoid(p.logit+dimShift[it.Dimension]):
			out[it.ID] = positive(rng, p.warmth)
		default:
			out[it.ID] = survey.OptNotRecognise
		}
	}
	return out
}

// positive picks 认可, 比较认可 or 基本认可; warm respondents pick 认可 more.
func positive(rng *rand.Rand, warmth float64) string {
	x := rng.Float64()
	switch p1 := 0.35 + 0.45*warmth; {
	case x < p1:
		return survey.OptRecognise
	case x < p1+(1-p1)*0.65:
		return survey.OptRatherAgree
	default:
		return survey.OptBasicallyAgree
	}
}

// allRecognise is a form filled with 认可 throughout (stuffed answers).
func allRecognise(q survey.Questionnaire) map[string]string {
	out := make(map[string]string, len(q.Items))
	for _, it := range q.Items {
		out[it.ID] = survey.OptRecognise
	}
	return out
}

// completionTime is a genuine respondent's time: lognormal around the
// group's median, within [minGenuine, maxGenuine].
func completionTime(rng *rand.Rand, g survey.Group) time.Duration {
	m := medianMinutes[g] * float64(time.Minute)
	d := time.Duration(m * math.Exp(timeSD*rng.NormFloat64())).Round(time.Millisecond)
	return min(max(d, minGenuine), maxGenuine)
}

// userAgents are the phones and in-app browsers respondents use, most of
// them WeChat's, with their shares.
var userAgents = []struct {
	ua    string
	share float64
}{
	{"Mozilla/5.0 (Linux; Android 12; V2134A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5043 MMWEBSDK/20230303 MicroMessenger/8.0.34.2340(0x2800223D) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64", 0.45},
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.38(0x1800262c) NetType/WIFI Language/zh_CN", 0.25},
	{"Mozilla/5.0 (Linux; U; Android 11; zh-cn; M2007J3SC Build/RKQ1.200826.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/89.0.4389.116 MQQBrowser/13.6 Mobile Safari/537.36", 0.08},
	{"Mozilla/5.0 (Linux; Android 10; HMA-AL00) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.5735.196 Mobile Safari/537.36", 0.12},
	{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", 0.10},
}

// userAgent draws a User-Agent by share.
func userAgent(rng *rand.Rand) string {
	x := rng.Float64()
	for _, u := range userAgents {
		if x < u.share {
			return u.ua
		}
		x -= u.share
	}
	return userAgents[0].ua
}
