package demo

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/internal/testenv"
	"renke/report"
	"renke/store"
	"renke/survey"
)

// TestDemo makes the demo once and checks it from several sides (each
// embedded store under the race detector costs seconds).
func TestDemo(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	opt := Options{Seed: 2, Now: fixedNow, Secret: testSecret, Users: true}
	res, err := Run(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("InjectedProblemsAreFound", func(t *testing.T) { checkInjected(t, st, res) })
	t.Run("ReportIsDeterministic", func(t *testing.T) { checkDeterministic(t, st, res, opt) })
	t.Run("TwiceAddsNothing", func(t *testing.T) { checkTwice(t, st, res, opt) })
}

// checkDeterministic makes the same demo in a fresh store: the report is the
// same, byte for byte.
func checkDeterministic(t *testing.T, st *store.Store, res *Result, opt Options) {
	other := testenv.Store(t)
	res2, err := Run(context.Background(), other, opt)
	if err != nil {
		t.Fatal(err)
	}
	if res2.SurveyID != res.SurveyID || res2.Responses != res.Responses {
		t.Errorf("one seed, two demos: %+v and %+v", res, res2)
	}
	encode := func(st *store.Store) []byte {
		rep := buildReport(t, st, res.SurveyID)
		if rep.Counts.Responses != int(res.Responses) || rep.Counts.Responses < 900 {
			t.Fatalf("report counts %d responses, demo made %d", rep.Counts.Responses, res.Responses)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := encode(st), encode(other)
	if string(a) != string(b) {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		lo := max(0, i-300)
		t.Errorf("reports differ for one seed at byte %d:\n…%s\n…%s", i, a[lo:min(len(a), i+100)], b[lo:min(len(b), i+100)])
	}
}

// counts is what a second run must leave as it was.
type counts struct {
	surveys, codes, users, counties, audit int
	seq                                    int64
	head                                   string
}

func snapshot(t *testing.T, st *store.Store, id string) counts {
	t.Helper()
	ctx := context.Background()
	var c counts
	svs, err := st.Surveys(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	codes, err := st.Codes(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counties, err := st.Counties(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := st.Audit(ctx, store.AuditFilter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	c.surveys, c.codes, c.users, c.counties, c.audit = len(svs), len(codes), len(users), len(counties), len(entries)
	if c.seq, c.head, err = st.Head(ctx, id); err != nil {
		t.Fatal(err)
	}
	return c
}

// checkTwice runs the demo again in the same store: nothing is added.
func checkTwice(t *testing.T, st *store.Store, first *Result, opt Options) {
	ctx := context.Background()
	if first.Present || first.Responses == 0 || first.TryCode == "" {
		t.Fatalf("first run: %+v", first)
	}
	before := snapshot(t, st, first.SurveyID)
	if before.seq != first.Responses || before.users != 3 || before.counties != 1 || before.surveys != 1 {
		t.Fatalf("after the first run: %+v", before)
	}
	sv, err := st.Survey(ctx, first.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.AcceptsAt(opt.Now); err != nil {
		t.Errorf("the demo survey does not take answers now: %v (status %s, %v–%v)", err, sv.Status, sv.Opens, sv.Closes)
	}
	if _, err := st.Frame(ctx, sv.ID); err != nil {
		t.Errorf("frame not stored: %v", err)
	}
	if p, err := st.Plan(ctx, sv.ID); err != nil || p.Seed != opt.Seed {
		t.Errorf("plan not stored with its seed: %v", err)
	}
	for _, l := range first.Logins {
		u, err := st.UserByName(ctx, l.Name)
		if err != nil {
			t.Fatal(err)
		}
		if err := account.CheckPassword(u, l.Password); err != nil || u.Role != l.Role || !u.Sees(CountyName) {
			t.Errorf("login %s (%s) does not work: %v", l.Name, l.Role, err)
		}
	}
	code, err := st.Code(ctx, first.TryCode)
	if err != nil || code.Kind != survey.SharedCode || code.Group != survey.Parent {
		t.Errorf("try code: %+v, %v", code, err)
	}

	second, err := Run(ctx, st, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Present || second.SurveyID != first.SurveyID || second.Responses != first.Responses ||
		second.Codes != first.Codes || second.Quota != first.Quota || second.Schools != first.Schools {
		t.Errorf("second run: %+v, first %+v", second, first)
	}
	for _, l := range second.Logins {
		if l.Password != "" {
			t.Errorf("second run made a new password for %s", l.Name)
		}
	}
	if after := snapshot(t, st, first.SurveyID); after != before {
		t.Errorf("second run changed the store: %+v, was %+v", after, before)
	}
	v := survey.NewVerifier()
	if err := st.EachResponse(ctx, first.SurveyID, v.Next); err != nil {
		t.Fatalf("chain: %v", err)
	}
}

func TestDemoInterruptedRunIsRecognised(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	sv, err := survey.NewSurvey(CountyName, Title, fixedNow, fixedNow.Add(time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	sv.ID = SurveyID(4)
	if err := st.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, st, Options{Seed: 4, Secret: testSecret}); err == nil || !strings.Contains(err.Error(), "未完成") {
		t.Fatalf("a draft demo survey left by an interrupted run: got %v", err)
	}
}

// checkInjected runs the quality rules of the report package: they find
// exactly the planted problems.
func checkInjected(t *testing.T, st *store.Store, res *Result) {
	ctx := context.Background()
	in := res.Injected
	if in.Burst < burstMin || in.Speeders != speederCount || in.Repeats != repeatDevices {
		t.Fatalf("injected %+v", in)
	}
	plan, err := st.Plan(ctx, res.SurveyID)
	if err != nil {
		t.Fatal(err)
	}
	burstSchool := ""
	for _, s := range plan.Schools {
		if s.Name == in.BurstSchool {
			burstSchool = s.SchoolCode
		}
	}
	rs := stored(t, st, res.SurveyID)
	q, err := report.CheckQuality(rs, report.DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	flagged := map[report.Rule]int{}
	devices := map[string]bool{}
	for i, d := range q.Decisions {
		r := &rs[i]
		for _, rule := range d.Flags {
			flagged[rule]++
			switch rule {
			case report.RuleBurst:
				if r.School != burstSchool || r.Group != survey.Parent || !allSame(r.Answers, survey.OptRecognise) {
					t.Errorf("burst flag on %s (%s at %s), not a stuffed answer", r.ID, r.Group, r.School)
				}
			case report.RuleSpeeder:
				if r.CompletionTime() >= time.Minute {
					t.Errorf("speeder flag on %s taking %v", r.ID, r.CompletionTime())
				}
			case report.RuleRepeatDevice:
				if r.Group != survey.Deputy || r.CodeKind != survey.OneTimeCode {
					t.Errorf("repeat-device flag on %s (%s, %s)", r.ID, r.Group, r.CodeKind)
				}
				devices[r.DeviceID] = true
			}
		}
	}
	if flagged[report.RuleBurst] != in.Burst || flagged[report.RuleSpeeder] != in.Speeders ||
		flagged[report.RuleRepeatDevice] != in.Repeats-1 || len(devices) != 1 {
		t.Errorf("flagged %v (repeat devices %d), injected %+v", flagged, len(devices), in)
	}
}

func allSame(answers map[string]string, opt string) bool {
	for _, a := range answers {
		if a != opt {
			return false
		}
	}
	return len(answers) > 0
}
