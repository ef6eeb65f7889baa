package report

import (
	"fmt"
	"time"

	"renke/survey"
)

// School hours, Shanghai time: when staff filling in parents' sheets at
// school would send them.
const (
	schoolDayStart = 8 * time.Hour
	schoolDayEnd   = 17*time.Hour + 30*time.Minute
)

// inSchoolHours reports whether t falls on a weekday within school hours.
func inSchoolHours(t time.Time) bool {
	if t.IsZero() {
		return false
	}
	l := t.In(survey.Shanghai)
	if l.Weekday() == time.Saturday || l.Weekday() == time.Sunday {
		return false
	}
	d := time.Duration(l.Hour())*time.Hour + time.Duration(l.Minute())*time.Minute
	return d >= schoolDayStart && d < schoolDayEnd
}

func isStaff(g survey.Group) bool { return g == survey.Teacher || g == survey.Principal }

// proxyTests tests each school: are more of its parents' sheets sent in
// school hours from its teachers' or principal's addresses or devices than
// chance allows? The chance is the county's own: the share of (parent sheet
// sent in school hours, other school) pairs where the sheet shares an address
// or device with that other school's staff — coincidences of shared networks.
// Under independence the school's count is Binomial(n, r), r that share (one
// match added so that it is never zero); p is its exact upper tail.
func proxyTests(rs []survey.Response, schools []unit, rule ProxyRule) []Finding {
	// staffOf maps a keyed address or device to the schools whose staff used it.
	staffOf := map[string]map[string]bool{}
	staffed := map[string]bool{}
	note := func(key, school string) {
		if staffOf[key] == nil {
			staffOf[key] = map[string]bool{}
		}
		staffOf[key][school] = true
	}
	for i := range rs {
		r := &rs[i]
		if r.School == "" || !isStaff(r.Group) {
			continue
		}
		staffed[r.School] = true
		if r.AddrHash != "" {
			note("a:"+r.AddrHash, r.School)
		}
		if r.DeviceID != "" {
			note("d:"+r.DeviceID, r.School)
		}
	}
	// sharers is the set of staffed schools whose staff share the sheet's address or device.
	sharers := func(r *survey.Response) map[string]bool {
		out := map[string]bool{}
		for _, key := range []string{"a:" + r.AddrHash, "d:" + r.DeviceID} {
			if key == "a:" || key == "d:" {
				continue
			}
			for s := range staffOf[key] {
				out[s] = true
			}
		}
		return out
	}
	var pairs, cross float64
	for i := range rs {
		r := &rs[i]
		if r.Group != survey.Parent || r.School == "" || !inSchoolHours(r.SubmittedAt) {
			continue
		}
		others := len(staffed)
		if staffed[r.School] {
			others--
		}
		pairs += float64(others)
		for s := range sharers(r) {
			if s != r.School {
				cross++
			}
		}
	}
	rate := (cross + 1) / (pairs + 1)
	var out []Finding
	for _, u := range schools {
		if u.school == "" || !staffed[u.school] {
			continue
		}
		var inHours, shared []int
		addrs, devices := map[string]bool{}, map[string]bool{}
		for _, i := range u.idx {
			r := &rs[i]
			if r.Group != survey.Parent || !inSchoolHours(r.SubmittedAt) {
				continue
			}
			inHours = append(inHours, i)
			if sharers(r)[u.school] {
				shared = append(shared, i)
				addrs[r.AddrHash], devices[r.DeviceID] = true, true
			}
		}
		if len(inHours) == 0 {
			continue
		}
		f := Finding{Rule: RuleProxy, School: u.school, Group: survey.Parent, Responses: len(inHours), P: 1,
			Observed: fmt.Sprintf("工作日在校时段提交的 %d 份家长答卷中，%d 份与本校教师或校长使用同一网络地址或设备（%d 个地址组、%d 个设备组）",
				len(inHours), len(shared), len(addrs), len(devices)),
			Expected: fmt.Sprintf("全县家长答卷与其他学校教职工偶然同址的比例为 %.4f%%，独立作答时预计 %.2f 份",
				100*rate, rate*float64(len(inHours)))}
		if len(shared) >= rule.MinShared {
			f.P = binomTail(len(inHours), len(shared), rate)
			f.Count, f.ResponseIDs = len(shared), ids(rs, shared)
		}
		out = append(out, f)
	}
	return out
}
