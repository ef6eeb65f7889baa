package demo

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"renke/sampling"
	"renke/survey"
)

// Injected problems, for the data-quality rules to find.
const (
	burstMax       = 40 // stuffed answers from one address at one school
	burstMin       = 25
	speederCount   = 20 // responses completed in under a minute
	repeatDevices  = 6  // one-time codes answered from one phone
	lowSchoolCount = 3  // schools well below 85%
)

// Injected describes the problems the demo planted among its responses.
type Injected struct {
	BurstSchool string   `json:"burst_school"` // name of the school with the stuffed burst
	Burst       int      `json:"burst"`        // stuffed all-认可 responses from one address
	Speeders    int      `json:"speeders"`     // responses completed in under 60 s
	RepeatGroup string   `json:"repeat_group"` // group whose one-time codes one phone answered
	Repeats     int      `json:"repeats"`      // responses of that phone (the first is genuine-looking)
	LowSchools  []string `json:"low_schools"`  // names of the schools simulated well below 85%
	// The stuffing patterns (demo/stuffing.go): the school's name and the responses involved.
	TemplateSchool string `json:"template_school,omitempty"`
	Template       int    `json:"template,omitempty"` // parents giving one non-uniform "model answer"
	ProxySchool    string `json:"proxy_school,omitempty"`
	Proxy          int    `json:"proxy,omitempty"` // parents' sheets sent from the staff's network in school hours
	UniformSchool  string `json:"uniform_school,omitempty"`
	Uniform        int    `json:"uniform,omitempty"` // parents answering only 认可/比较认可 in near-equal times
	SequenceSchool string `json:"sequence_school,omitempty"`
	Sequence       int    `json:"sequence,omitempty"` // one-time parent codes used one after another
}

// generator simulates a survey's responses; it is deterministic for its seed.
type generator struct {
	sv       *survey.Survey
	rng      *rand.Rand // who answers what, and how long they take
	clock    *rand.Rand // when: kept apart so the answers do not depend on the date
	seed     int64
	now      time.Time
	day0     time.Time // midnight (Shanghai) of the opening day
	secret   []byte
	schools  map[string]*schoolState
	n        int // responses made, for ids
	out      []*survey.Response
	genuine  []int // indexes of genuine responses in out
	injected Injected
	// burstAddr is the address the stuffed answers come from.
	burstAddr string
}

// schoolState is a drawn school's simulated character.
type schoolState struct {
	name     string
	effect   float64 // logit shift of its respondents
	startDay int     // day (since opening) it handed out its QR codes
	addr     string  // its Wi-Fi's address
}

// Generate simulates the responses to a demo survey whose codes were issued
// for plan in plan order (as Run issues them): most quotas filled 80–100%,
// answers by the answer model, times in school-day hours over the days since
// the survey opened, and the injected problems. Responses come sorted by
// submission time, with ids derived from the seed; they are not sealed.
// Address hashes are keyed with secret, as the server keys them.
func Generate(sv *survey.Survey, plan *sampling.Plan, codes []survey.Code, seed int64, now time.Time, secret []byte) ([]*survey.Response, Injected) {
	return simulateCounty(sv, plan, codes, seed, now, secret, false)
}

// simulateCounty is Generate; clean leaves out every injected problem (the low
// schools, honest answers, stay).
func simulateCounty(sv *survey.Survey, plan *sampling.Plan, codes []survey.Code, seed int64, now time.Time, secret []byte, clean bool) ([]*survey.Response, Injected) {
	g := &generator{sv: sv, rng: rand.New(rand.NewPCG(uint64(seed), 0x64656d6f)),
		clock: rand.New(rand.NewPCG(uint64(seed), 0x74696d65)), seed: seed, now: now, secret: secret,
		schools: map[string]*schoolState{}}
	o := sv.Opens.In(survey.Shanghai)
	g.day0 = time.Date(o.Year(), o.Month(), o.Day(), 0, 0, 0, 0, survey.Shanghai)
	burst := g.pickSchools(plan)
	stuffed := g.burstShares(codes, burst)
	if clean {
		clear(stuffed)
	}
	var repeatPool []int
	for i := range codes {
		c := &codes[i]
		switch c.Kind {
		case survey.SharedCode:
			n := min(c.Quota, int(float64(c.Quota)*(0.8+0.2*g.rng.Float64())+0.5))
			n = min(n, c.Quota-stuffed[i])
			for k := 0; k < n; k++ {
				g.genuineResponse(c)
			}
		case survey.OneTimeCode:
			if g.rng.Float64() < 0.9 {
				if c.Group == survey.Deputy {
					repeatPool = append(repeatPool, len(g.out))
				}
				g.genuineResponse(c)
			}
		}
	}
	if !clean {
		g.injectRepeatDevice(repeatPool)
		g.injectStuffing(plan, burst)
		g.injectSpeeders()
	}
	for i := range codes {
		if stuffed[i] > 0 {
			g.injectBurst(&codes[i], stuffed[i])
		}
	}
	sort.SliceStable(g.out, func(a, b int) bool { return g.out[a].SubmittedAt.Before(g.out[b].SubmittedAt) })
	return g.out, g.injected
}

// pickSchools gives every drawn school its effect, start day and address;
// it returns the school that will be stuffed (the one with most parents to
// ask) and marks a few others as well below 85%.
func (g *generator) pickSchools(plan *sampling.Plan) string {
	burst, best := "", -1
	for i := range plan.Schools {
		s := &plan.Schools[i]
		parents := 0
		for _, q := range s.Quotas {
			if q.Group == survey.Parent {
				parents += q.Quota
			}
		}
		if parents > best {
			burst, best = s.SchoolCode, parents
		}
		g.schools[s.SchoolCode] = &schoolState{name: s.Name, effect: schoolSD * g.rng.NormFloat64(),
			startDay: g.clock.IntN(6), addr: g.randomIP()}
	}
	low := 0
	for _, i := range g.rng.Perm(len(plan.Schools)) {
		s := &plan.Schools[i]
		if low == lowSchoolCount || s.SchoolCode == burst {
			continue
		}
		g.schools[s.SchoolCode].effect = lowSchool + 0.15*g.rng.NormFloat64()
		g.injected.LowSchools = append(g.injected.LowSchools, s.Name)
		low++
	}
	sort.Strings(g.injected.LowSchools)
	if burst != "" {
		g.injected.BurstSchool = g.schools[burst].name
	}
	return burst
}

// burstShares spreads the stuffed answers over the burst school's parent
// codes in proportion to their quotas, leaving a few places to genuine parents.
func (g *generator) burstShares(codes []survey.Code, school string) []int {
	out := make([]int, len(codes))
	var idx []int
	room := 0
	for i := range codes {
		if c := &codes[i]; c.School == school && c.Group == survey.Parent && c.Kind == survey.SharedCode {
			idx = append(idx, i)
			room += c.Quota
		}
	}
	total := min(burstMax, room-len(idx))
	if total < burstMin || len(idx) == 0 {
		return out // no school is large enough: no burst
	}
	left := total
	for k, i := range idx {
		share := total * codes[i].Quota / room
		if k == len(idx)-1 {
			share = left
		}
		share = min(share, codes[i].Quota-1, left)
		out[i], left = share, left-share
	}
	return out
}

// genuineResponse adds one ordinary respondent's answers to code c.
func (g *generator) genuineResponse(c *survey.Code) {
	q := g.sv.Forms[c.Group.Form()]
	effect, first, addr := 0.0, 0, ""
	if s := g.schools[c.School]; s != nil {
		effect, first = s.effect, s.startDay
		if c.Group == survey.Teacher {
			addr = s.addr
		}
	}
	if addr == "" {
		addr = g.randomIP()
	}
	p := newPerson(g.rng, c.Group, q, effect)
	r := g.response(c, p.answers(g.rng, q), addr, g.randomID("dev"), userAgent(g.rng))
	r.SubmittedAt = g.when(c.Group, first)
	r.StartedAt = r.SubmittedAt.Add(-completionTime(g.rng, c.Group))
	g.genuine = append(g.genuine, len(g.out))
	g.out = append(g.out, r)
}

// response builds the response fields a submission to code c gets.
func (g *generator) response(c *survey.Code, answers map[string]string, ip, device, ua string) *survey.Response {
	q := g.sv.Forms[c.Group.Form()]
	band := c.Band
	if band == "" && c.Group.HasBand() {
		bands := survey.BandsFor(c.Group)
		band = bands[g.rng.IntN(len(bands))]
	}
	return &survey.Response{ID: g.randomID("response"), SurveyID: g.sv.ID, Code: c.Code, CodeKind: c.Kind,
		Form: q.Kind, FormVersion: q.Version, Group: c.Group, School: c.School, Township: c.Township,
		Urbanicity: c.Urbanicity, Band: band, Answers: answers, DeviceID: device,
		AddrHash: AddrHash(g.secret, ip), UAFamily: survey.UAFamily(ua)}
}

// injectRepeatDevice has one phone answer several deputies' one-time codes
// within half an hour: a deputy filling in colleagues' codes.
func (g *generator) injectRepeatDevice(pool []int) {
	if len(pool) < repeatDevices {
		return
	}
	device, ip := g.randomID("dev"), g.randomIP()
	at := g.when(survey.Deputy, 0)
	if at.After(g.now.Add(-time.Hour)) {
		at = at.Add(-24 * time.Hour) // the phone's half hour must be over by now
	}
	p := newPerson(g.rng, survey.Deputy, g.sv.Forms[survey.SocialForm], 0.8)
	for k, i := range g.rng.Perm(len(pool))[:repeatDevices] {
		r := g.out[pool[i]]
		r.DeviceID, r.AddrHash = device, AddrHash(g.secret, ip)
		r.Answers = p.answers(g.rng, g.sv.Forms[survey.SocialForm])
		// k orders the phone's sheets in time whatever the date: the rule keeps the first.
		r.SubmittedAt = at.Add(time.Duration(k*4)*time.Minute + time.Duration(g.clock.IntN(90))*time.Second)
		r.StartedAt = r.SubmittedAt.Add(-time.Duration(100+g.rng.IntN(80)) * time.Second)
		g.removeGenuine(pool[i])
	}
	g.injected.RepeatGroup, g.injected.Repeats = string(survey.Deputy), repeatDevices
}

func (g *generator) removeGenuine(i int) {
	for k, x := range g.genuine {
		if x == i {
			g.genuine = append(g.genuine[:k], g.genuine[k+1:]...)
			return
		}
	}
}

// injectSpeeders makes some genuine respondents finish in 20–55 seconds.
func (g *generator) injectSpeeders() {
	n := min(speederCount, len(g.genuine)/10)
	for _, k := range g.rng.Perm(len(g.genuine))[:n] {
		r := g.out[g.genuine[k]]
		r.StartedAt = r.SubmittedAt.Add(-time.Duration(20000+g.rng.IntN(35000)) * time.Millisecond)
	}
	g.injected.Speeders = n
}

// injectBurst adds n stuffed all-认可 responses to code c from one address
// (the school office's line), several phones passed round, seconds apart.
func (g *generator) injectBurst(c *survey.Code, n int) {
	s := g.schools[c.School]
	if g.burstAddr == "" {
		g.burstAddr = g.randomIP()
	}
	day := g.day0.AddDate(0, 0, s.startDay+1)
	start := time.Date(day.Year(), day.Month(), day.Day(), 16, 5, 0, 0, survey.Shanghai).Add(time.Duration(g.injected.Burst) * 9 * time.Second)
	if start.After(g.now.Add(-time.Hour)) {
		start = g.now.Add(-time.Hour)
	}
	ua := userAgents[0].ua
	for k := 0; k < n; k++ {
		r := g.response(c, allRecognise(g.sv.Forms[c.Group.Form()]), g.burstAddr, g.randomID("dev"), ua)
		r.SubmittedAt = start.Add(time.Duration(k*9000+g.clock.IntN(4000)) * time.Millisecond)
		r.StartedAt = r.SubmittedAt.Add(-time.Duration(75+g.rng.IntN(50)) * time.Second)
		g.out = append(g.out, r)
	}
	g.injected.Burst += n
}

// when draws a submission time for a respondent of group gr whose school
// handed out its codes on day first: in the group's hours of the day, mostly
// on weekdays, within the survey window and before now.
func (g *generator) when(gr survey.Group, first int) time.Time {
	for attempt := 0; attempt < 50; attempt++ {
		day := first + int(g.clock.ExpFloat64()*1.5)
		if !gr.ViaSchool() {
			day = g.clock.IntN(11)
		}
		d := g.day0.AddDate(0, 0, day)
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		if weekend && g.clock.Float64() > 0.35 {
			continue
		}
		lo, hi := hoursOf(g.clock, gr)
		t := d.Add(time.Duration((lo + (hi-lo)*g.clock.Float64()) * float64(time.Hour))).Truncate(time.Millisecond)
		if t.After(g.sv.Opens.Add(10*time.Minute)) && t.Before(g.now.Add(-2*time.Minute)) {
			return t
		}
	}
	span := g.now.Add(-2 * time.Minute).Sub(g.sv.Opens)
	return g.sv.Opens.Add(time.Duration(g.clock.Float64() * float64(span))).Truncate(time.Millisecond)
}

// hoursOf is the window of the day (in hours) a group answers in: parents
// mostly in the evening or at lunch, students after school, staff at work.
func hoursOf(rng *rand.Rand, gr survey.Group) (lo, hi float64) {
	switch gr {
	case survey.Parent:
		switch x := rng.Float64(); {
		case x < 0.6:
			return 18.5, 21.75
		case x < 0.85:
			return 12, 13.5
		default:
			return 7, 8
		}
	case survey.Student:
		return 16.5, 21
	case survey.Teacher, survey.Principal:
		return 8, 17.5
	}
	return 8.5, 21.5
}

// randomIP is a made-up client address (carrier-grade NAT range, as phones have).
func (g *generator) randomIP() string {
	return fmt.Sprintf("100.%d.%d.%d", 64+g.rng.IntN(64), g.rng.IntN(256), 1+g.rng.IntN(254))
}

// randomID is an id of the server's shape (16 bytes, URL-safe base64) derived from the seed.
func (g *generator) randomID(kind string) string {
	g.n++
	sum := sha256.Sum256([]byte(fmt.Sprintf("renke demo %s %d %d", kind, g.seed, g.n)))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// AddrHash is the keyed hash of a client address exactly as the server keeps it.
func AddrHash(secret []byte, ip string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("addr:" + ip))
	return hex.EncodeToString(m.Sum(nil))[:32]
}
