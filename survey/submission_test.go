package survey

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseSubmission(t *testing.T) {
	sub, err := ParseSubmission([]byte(`{"answers": {"c01": "1", "c02": "$gt"}, "started_at": "2025-05-20T09:30:00.5+08:00", "band": "g3-4"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 5, 20, 1, 30, 0, 500e6, time.UTC)
	if sub.Answers["c01"] != "1" || sub.Answers["c02"] != "$gt" || sub.Band != "g3-4" || !sub.StartedAt.Equal(want) {
		t.Errorf("parsed %+v", sub)
	}
	sub, err = ParseSubmission([]byte(` {"answers": {}} `))
	if err != nil || !sub.StartedAt.IsZero() || sub.Band != "" || len(sub.Answers) != 0 {
		t.Errorf("minimal body: %+v, %v", sub, err)
	}
}

func TestParseSubmissionRefusals(t *testing.T) {
	big := make([]string, MaxAnswers+1)
	for i := range big {
		big[i] = fmt.Sprintf(`"i%d":"1"`, i)
	}
	cases := map[string]string{
		"empty":                 ``,
		"not an object":         `["answers"]`,
		"operator as answer":    `{"answers": {"c01": {"$gt": ""}}}`,
		"operator as answers":   `{"answers": {"$ne": null}}`,
		"number answer":         `{"answers": {"c01": 1}}`,
		"null answer":           `{"answers": {"c01": null}}`,
		"array answer":          `{"answers": {"c01": ["1"]}}`,
		"answers not an object": `{"answers": "c01"}`,
		"answers null":          `{"answers": null}`,
		"no answers":            `{"band": "g3-4"}`,
		"unknown field":         `{"answers": {}, "name": "张三"}`,
		"field in other case":   `{"Answers": {}}`,
		"duplicate field":       `{"answers": {}, "answers": {"c01": "1"}}`,
		"duplicate answer":      `{"answers": {"c01": "1", "c01": "4"}}`,
		"band object":           `{"answers": {}, "band": {"$gt": ""}}`,
		"band null":             `{"answers": {}, "band": null}`,
		"started_at number":     `{"answers": {}, "started_at": 1716170000}`,
		"started_at not 3339":   `{"answers": {}, "started_at": "2025-05-20 09:30"}`,
		"two values":            `{"answers": {}} {"answers": {}}`,
		"trailing garbage":      `{"answers": {}} x`,
		"truncated":             `{"answers": {"c01": "1"`,
		"invalid UTF-8":         "{\"answers\": {\"c01\": \"\xff\"}}",
		"long item id":          `{"answers": {"` + strings.Repeat("x", MaxItemIDLen+1) + `": "1"}}`,
		"long answer":           `{"answers": {"c01": "` + strings.Repeat("1", 17) + `"}}`,
		"too many answers":      `{"answers": {` + strings.Join(big, ",") + `}}`,
	}
	for name, body := range cases {
		sub, err := ParseSubmission([]byte(body))
		if err == nil {
			t.Errorf("%s: accepted %+v", name, sub)
		} else if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: error %v does not wrap ErrMalformed", name, err)
		}
	}
}

func TestParseFormSubmission(t *testing.T) {
	v := url.Values{"a_c01": {"1"}, "a_c02": {"9"}, "band": {"g7-9"}, "started_at": {"2025-05-20T09:30:00+08:00"}}
	sub, err := ParseFormSubmission(v)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Answers) != 2 || sub.Answers["c02"] != "9" || sub.Band != "g7-9" || !sub.StartedAt.Equal(time.Date(2025, 5, 20, 1, 30, 0, 0, time.UTC)) {
		t.Errorf("parsed %+v", sub)
	}
	for name, bad := range map[string]url.Values{
		"repeated answer": {"a_c01": {"1", "4"}},
		"unknown field":   {"a_c01": {"1"}, "phone": {"13800000000"}},
		"bad started_at":  {"started_at": {"yesterday"}},
		"long answer":     {"a_c01": {strings.Repeat("1", 17)}},
		"long id":         {"a_" + strings.Repeat("x", 33): {"1"}},
		"invalid UTF-8":   {"a_c01": {"\xff"}},
	} {
		if sub, err := ParseFormSubmission(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %+v, %v; want ErrMalformed", name, sub, err)
		}
	}
}

// answerAll answers every item of q with code.
func answerAll(q Questionnaire, code string) map[string]string {
	a := map[string]string{}
	for _, it := range q.Items {
		a[it.ID] = code
	}
	return a
}

func TestValidate(t *testing.T) {
	q := DefaultQuestionnaire(SocialForm)
	ok := Submission{Answers: answerAll(q, OptDontKnow)}
	if err := q.Validate(ok, Public); err != nil {
		t.Fatalf("all 不了解 is a complete answer sheet: %v", err)
	}
	third, fifth := q.Items[2].ID, q.Items[4].ID
	with := func(edit func(a map[string]string)) Submission {
		a := answerAll(q, OptRecognise)
		edit(a)
		return Submission{Answers: a}
	}
	cases := []struct {
		name string
		sub  Submission
		g    Group
		item string
		msg  string
	}{
		{"missing item", with(func(a map[string]string) { delete(a, fifth) }), Public, fifth, "第 5 题还没有作答"},
		{"empty answer", with(func(a map[string]string) { a[third] = "" }), Public, third, "第 3 题还没有作答"},
		{"option not offered", with(func(a map[string]string) { a[third] = "5" }), Public, third, "第 3 题的答案无效"},
		{"operator string", with(func(a map[string]string) { a[third] = "$gt" }), Public, third, "第 3 题的答案无效"},
		{"first in form order", with(func(a map[string]string) { delete(a, fifth); a[third] = "0" }), Public, third, "第 3 题"},
		{"unknown item first", with(func(a map[string]string) { delete(a, third); a["zz"] = "1"; a["s01"] = "1" }), Public, "s01", "不在本问卷中"},
		{"band not the group's", Submission{Answers: answerAll(q, "1"), Band: "g1-2"}, Student, "band", "年级段"},
		{"band for a group without bands", Submission{Answers: answerAll(q, "1"), Band: "g3-4"}, Deputy, "band", "年级段"},
	}
	for _, c := range cases {
		err := q.Validate(c.sub, c.g)
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a *ValidationError", c.name, err)
			continue
		}
		if ve.ItemID != c.item || !strings.Contains(ve.Message, c.msg) {
			t.Errorf("%s: item %q message %q; want item %q and %q", c.name, ve.ItemID, ve.Message, c.item, c.msg)
		}
	}
	if err := q.Validate(Submission{Answers: answerAll(q, "2"), Band: "g1-2"}, Parent); err != nil {
		t.Errorf("parent band g1-2: %v", err)
	}
}

func TestRequireBand(t *testing.T) {
	for _, c := range []struct {
		g    Group
		band string
		ok   bool
	}{
		{Student, "", false}, {Student, "g3-4", true}, {Student, "g1-2", false}, {Parent, "g1-2", true},
		{Parent, "", false}, {Teacher, "", true}, {Public, "", true},
	} {
		err := RequireBand(Submission{Band: c.band}, c.g)
		var ve *ValidationError
		if c.ok != (err == nil) || (err != nil && (!errors.As(err, &ve) || ve.ItemID != "band")) {
			t.Errorf("%s band %q: %v, want ok=%v", c.g, c.band, err, c.ok)
		}
	}
}

func TestClip(t *testing.T) {
	s := strings.Repeat("题", 20) // 60 bytes
	got := clip(s)
	if !strings.HasSuffix(got, "…") || len(got) > 32+len("…") || strings.ContainsRune(got, '\uFFFD') {
		t.Errorf("clip(%q) = %q", s, got)
	}
}
