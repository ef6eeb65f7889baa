package demo

import (
	"sort"
	"time"

	"renke/sampling"
	"renke/survey"
)

// Injected stuffing patterns (report's stuffing rules), each in its own school.
const (
	templateCount = 30 // parents giving one "model answer", at most
	templateMin   = 12 // and at least
	proxyCount    = 12 // parents' sheets sent from the school's network in school hours
	sequenceMax   = 24 // one-time parent codes used one after another
	sequenceEvery = 75 * time.Second
	uniformMin    = 15 // fewest genuine parents of the uniform school
)

// parentPlaces is a drawn school's parent quota.
func parentPlaces(s *sampling.SchoolPlan) int {
	n := 0
	for _, q := range s.Quotas {
		if q.Group == survey.Parent {
			n += q.Quota
		}
	}
	return n
}

// schoolsByParents lists the plan's school codes, most parent places first.
func schoolsByParents(plan *sampling.Plan) []string {
	idx := make([]int, len(plan.Schools))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return parentPlaces(&plan.Schools[idx[a]]) > parentPlaces(&plan.Schools[idx[b]])
	})
	out := make([]string, len(idx))
	for k, i := range idx {
		out[k] = plan.Schools[i].SchoolCode
	}
	return out
}

// sequenceSchool is the school that hands its parents one-time codes (one per
// place) instead of shared codes: the second largest by parent places (the
// largest is the burst's). "" when the plan has fewer than two schools.
func sequenceSchool(plan *sampling.Plan) string {
	if s := schoolsByParents(plan); len(s) > 1 {
		return s[1]
	}
	return ""
}

// parentsAt are the genuine parent responses of a school (indexes into out).
func (g *generator) parentsAt(school string) []int {
	var out []int
	for _, i := range g.genuine {
		if r := g.out[i]; r.School == school && r.Group == survey.Parent {
			out = append(out, i)
		}
	}
	return out
}

// injectStuffing plants the four stuffing patterns, each in a school of its
// own that is neither the burst's nor one of the low schools.
func (g *generator) injectStuffing(plan *sampling.Plan, burst string) {
	taken := map[string]bool{burst: true}
	for _, s := range g.schools {
		for _, low := range g.injected.LowSchools {
			if s.name == low {
				taken[g.codeOf(s.name)] = true
			}
		}
	}
	if seq := sequenceSchool(plan); seq != "" {
		taken[seq] = true
		g.injectSequence(seq)
	}
	// pick is the school with most parent places not yet taken having at least n genuine parents.
	pick := func(n int) string {
		for _, code := range schoolsByParents(plan) {
			if !taken[code] && len(g.parentsAt(code)) >= n {
				taken[code] = true
				return code
			}
		}
		return ""
	}
	if s := pick(templateMin + 5); s != "" {
		g.injectTemplate(s)
	}
	if s := pick(proxyCount + 3); s != "" {
		g.injectProxy(s)
	}
	if s := pick(uniformMin); s != "" {
		g.injectUniform(s)
	}
}

// codeOf is the school code of a drawn school's name.
func (g *generator) codeOf(name string) string {
	for code, s := range g.schools {
		if s.name == name {
			return code
		}
	}
	return ""
}

// take removes n of the school's genuine parent responses from the genuine
// pool (so later injections leave them alone) and returns them.
func (g *generator) take(school string, n int) []*survey.Response {
	pool := g.parentsAt(school)
	n = min(n, len(pool))
	var out []*survey.Response
	for _, k := range g.rng.Perm(len(pool))[:n] {
		out = append(out, g.out[pool[k]])
		g.removeGenuine(pool[k])
	}
	return out
}

// injectTemplate gives up to templateCount parents of one school (all but five) the same "model
// answer" sent round the class group: 认可 throughout but for two items,
// 比较认可 and 基本认可. Their phones, networks and times stay their own.
func (g *generator) injectTemplate(school string) {
	rs := g.take(school, min(templateCount, len(g.parentsAt(school))-5))
	items := g.sv.Forms[survey.Parent.Form()].Items
	model := allRecognise(g.sv.Forms[survey.Parent.Form()])
	pick := g.rng.Perm(len(items))
	model[items[pick[0]].ID], model[items[pick[1]].ID] = survey.OptRatherAgree, survey.OptBasicallyAgree
	for _, r := range rs {
		r.Answers = copyAnswers(model)
	}
	g.injected.TemplateSchool, g.injected.Template = g.schools[school].name, len(rs)
}

// injectUniform makes every genuine parent of one school answer only 认可 or
// 比较认可 (no two sheets alike) in 2½ minutes give or take three seconds.
func (g *generator) injectUniform(school string) {
	rs := g.take(school, len(g.parentsAt(school)))
	items := g.sv.Forms[survey.Parent.Form()].Items
	for _, r := range rs {
		out := map[string]string{}
		for _, it := range items {
			out[it.ID] = survey.OptRecognise
			if g.rng.Float64() < 0.3 {
				out[it.ID] = survey.OptRatherAgree
			}
		}
		if oneAnswer(out) { // a mixed sheet: one answer throughout is the straight-line rule's
			out[items[0].ID] = survey.OptRatherAgree
			out[items[1].ID] = survey.OptRecognise
		}
		r.Answers = out
		r.StartedAt = r.SubmittedAt.Add(-150*time.Second - time.Duration(g.rng.IntN(6000)-3000)*time.Millisecond)
	}
	g.injected.UniformSchool, g.injected.Uniform = g.schools[school].name, len(rs)
}

// injectProxy has staff fill in proxyCount parents' sheets on the school's
// network (the address its teachers answer from), a few minutes apart one
// weekday morning, each on a different phone.
func (g *generator) injectProxy(school string) {
	rs := g.take(school, proxyCount)
	s := g.schools[school]
	day := g.day0.AddDate(0, 0, s.startDay+1)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
		day = day.AddDate(0, 0, 1)
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 30, 0, 0, survey.Shanghai)
	for start.Add(time.Duration(len(rs))*5*time.Minute).After(g.now.Add(-time.Hour)) ||
		start.Weekday() == time.Saturday || start.Weekday() == time.Sunday {
		start = start.AddDate(0, 0, -1)
	}
	for k, r := range rs {
		r.AddrHash = AddrHash(g.secret, s.addr)
		r.SubmittedAt = start.Add(time.Duration(k)*5*time.Minute + time.Duration(g.clock.IntN(60))*time.Second)
		r.StartedAt = r.SubmittedAt.Add(-completionTime(g.rng, survey.Parent))
	}
	g.injected.ProxySchool, g.injected.Proxy = s.name, len(rs)
}

// injectSequence has someone use the one-time parent codes of one school
// one after another, every 75 seconds or so, from two addresses, one
// evening; each sheet on a fresh device identity.
func (g *generator) injectSequence(school string) {
	rs := g.take(school, sequenceMax)
	if len(rs) == 0 {
		return
	}
	s := g.schools[school]
	day := g.day0.AddDate(0, 0, s.startDay+2)
	start := time.Date(day.Year(), day.Month(), day.Day(), 21, 10, 0, 0, survey.Shanghai)
	for start.Add(time.Duration(len(rs)) * sequenceEvery).After(g.now.Add(-time.Hour)) {
		start = start.AddDate(0, 0, -1)
	}
	addrs := []string{AddrHash(g.secret, g.randomIP()), AddrHash(g.secret, g.randomIP())}
	for k, r := range rs {
		r.AddrHash = addrs[k%2]
		r.SubmittedAt = start.Add(time.Duration(k)*sequenceEvery + time.Duration(g.clock.IntN(4000))*time.Millisecond)
		r.StartedAt = r.SubmittedAt.Add(-completionTime(g.rng, survey.Parent)) // codes opened in several tabs
	}
	g.injected.SequenceSchool, g.injected.Sequence = s.name, len(rs)
}

func copyAnswers(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// oneAnswer reports whether every answer is the same.
func oneAnswer(m map[string]string) bool {
	first := ""
	for _, v := range m {
		if first == "" {
			first = v
		} else if v != first {
			return false
		}
	}
	return true
}
