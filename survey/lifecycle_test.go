package survey

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func newTestSurvey(t *testing.T) *Survey {
	t.Helper()
	opens := time.Date(2025, 5, 20, 8, 0, 0, 0, Shanghai)
	sv, err := NewSurvey(" 南川区 ", "南川区义务教育社会认可度调查", opens, opens.Add(14*24*time.Hour), DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	return sv
}

func TestNewSurveyDefaults(t *testing.T) {
	sv := newTestSurvey(t)
	if sv.County != "南川区" || sv.Status != Draft || sv.ID == "" {
		t.Errorf("county %q status %q id %q", sv.County, sv.Status, sv.ID)
	}
	if len(sv.Scheme) != 4 || sv.Scheme[OptDontKnow] != 0 || sv.Scheme[OptNotRecognise] != 0 || sv.Scheme[OptRecognise] != 1 {
		t.Errorf("scheme %v, want docs/method.md §3's default", sv.Scheme)
	}
	if _, scored := sv.Scheme[OptDontKnow]; scored {
		t.Error("不了解 must be left out of the denominator")
	}
	sum := 0.0
	for _, w := range sv.GroupWeights {
		sum += w
	}
	if len(sv.GroupWeights) != 7 || sv.GroupWeights[Parent] != 0.5 || sum < 0.999999 || sum > 1.000001 {
		t.Errorf("group weights %v", sv.GroupWeights)
	}
	if name, off := sv.Opens.In(Shanghai).Zone(); off != 8*3600 {
		t.Errorf("Shanghai zone %s offset %d", name, off)
	}
}

func TestNewSurveyRefusals(t *testing.T) {
	opens := time.Date(2025, 5, 20, 8, 0, 0, 0, Shanghai)
	noStaff := DefaultForms()
	delete(noStaff, StaffForm)
	badForm := DefaultForms()
	q := badForm[SocialForm]
	q.Items = append([]Item{}, q.Items...)
	q.Items[0].Dimension = "公平"
	badForm[SocialForm] = q
	cases := []struct {
		name          string
		county, title string
		opens, closes time.Time
		forms         map[FormKind]Questionnaire
		want          string
	}{
		{"no county", " ", "t", opens, opens.Add(time.Hour), DefaultForms(), "区县名称不能为空"},
		{"no title", "县", "", opens, opens.Add(time.Hour), DefaultForms(), "调查标题不能为空"},
		{"closes before opens", "县", "t", opens, opens.Add(-time.Hour), DefaultForms(), "必须晚于开始时间"},
		{"empty window", "县", "t", opens, opens, DefaultForms(), "必须晚于开始时间"},
		{"no window", "县", "t", time.Time{}, time.Time{}, DefaultForms(), "必须设置调查的开始和结束时间"},
		{"missing form", "县", "t", opens, opens.Add(time.Hour), noStaff, "缺少校长教师卷"},
		{"invalid form", "县", "t", opens, opens.Add(time.Hour), badForm, "维度“公平”不存在"},
	}
	for _, c := range cases {
		if sv, err := NewSurvey(c.county, c.title, c.opens, c.closes, c.forms); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: survey %v, err %v; want an error with %q", c.name, sv, err, c.want)
		}
	}
}

func TestTransitions(t *testing.T) {
	all := []Status{Draft, Open, Closed, Archived}
	allowed := map[[2]Status]bool{{Draft, Open}: true, {Open, Closed}: true, {Closed, Archived}: true}
	now := time.Date(2025, 5, 21, 0, 0, 0, 0, time.UTC)
	for _, from := range all {
		for _, to := range all {
			sv := newTestSurvey(t)
			sv.Status = from
			err := sv.Transition(to, now)
			if allowed[[2]Status{from, to}] {
				if err != nil || sv.Status != to || !sv.Updated.Equal(now) {
					t.Errorf("%s → %s: err %v, status %s", from, to, err, sv.Status)
				}
				continue
			}
			if !errors.Is(err, ErrTransition) || sv.Status != from {
				t.Errorf("%s → %s: err %v, status %s; want ErrTransition and no change", from, to, err, sv.Status)
			}
			if err != nil && !strings.Contains(err.Error(), from.Label()+" → "+to.Label()) {
				t.Errorf("%s → %s: error %q does not name the change", from, to, err)
			}
		}
	}
	sv := newTestSurvey(t)
	sv.Scheme = Scheme{OptRecognise: 1}
	if err := sv.Transition(Open, now); err == nil || sv.Status != Draft {
		t.Errorf("opening with a one-option scheme: err %v status %s", err, sv.Status)
	}
}

func TestFrozenOnceOpened(t *testing.T) {
	sv := newTestSurvey(t)
	q := DefaultQuestionnaire(SocialForm)
	q.Items = q.Items[:len(q.Items)-1]
	if err := sv.SetForm(q); err != nil {
		t.Fatalf("draft SetForm: %v", err)
	}
	if got := sv.Forms[SocialForm]; got.Version != 2 || len(got.Items) != len(q.Items) {
		t.Errorf("after an edit the form is version %d with %d items; want version 2", got.Version, len(got.Items))
	}
	if err := sv.SetScheme(GradedScheme()); err != nil {
		t.Fatalf("draft SetScheme: %v", err)
	}
	if err := sv.SetScheme(Scheme{"7": 1, OptRecognise: 1}); err == nil {
		t.Error("a scheme with an unknown option code was accepted")
	}
	if err := sv.SetGroupWeights(map[Group]float64{Parent: -1, Student: 2}); err == nil {
		t.Error("a negative group weight was accepted")
	}
	if err := sv.SetGroupWeights(map[Group]float64{Parent: 1, Student: 1}); err != nil {
		t.Fatalf("draft SetGroupWeights: %v", err)
	}
	if err := sv.Transition(Open, time.Now()); err != nil {
		t.Fatal(err)
	}
	before := sv.Forms[SocialForm].Version
	for name, err := range map[string]error{
		"SetForm":         sv.SetForm(DefaultQuestionnaire(SocialForm)),
		"SetScheme":       sv.SetScheme(DefaultScheme()),
		"SetGroupWeights": sv.SetGroupWeights(DefaultGroupWeights()),
	} {
		if !errors.Is(err, ErrFrozen) {
			t.Errorf("%s on an open survey: %v, want ErrFrozen", name, err)
		}
	}
	if sv.Forms[SocialForm].Version != before || sv.Scheme[OptRatherAgree] != 0.8 || sv.GroupWeights[Parent] != 1 {
		t.Error("a refused edit changed the survey")
	}
}

func TestAcceptsAt(t *testing.T) {
	sv := newTestSurvey(t)
	inside := sv.Opens.Add(time.Hour)
	if err := sv.AcceptsAt(inside); !errors.Is(err, ErrNotOpen) {
		t.Errorf("draft: %v, want ErrNotOpen", err)
	}
	sv.Status = Open
	for _, c := range []struct {
		at   time.Time
		open bool
	}{
		{sv.Opens.Add(-time.Millisecond), false}, {sv.Opens, true}, {inside, true},
		{sv.Closes.Add(-time.Millisecond), true}, {sv.Closes, false}, {sv.Closes.Add(time.Hour), false},
	} {
		err := sv.AcceptsAt(c.at)
		if c.open != (err == nil) || (err != nil && !errors.Is(err, ErrNotOpen)) {
			t.Errorf("at %s: %v, want open=%v", c.at.In(Shanghai), err, c.open)
		}
	}
	sv.Status = Closed
	if err := sv.AcceptsAt(inside); !errors.Is(err, ErrNotOpen) {
		t.Errorf("closed: %v, want ErrNotOpen", err)
	}
}
