package survey

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Submission is what a respondent sends: an answer per item, when they started, their band.
type Submission struct {
	Answers   map[string]string
	StartedAt time.Time // zero when unknown
	Band      string
}

// Size caps of a submission.
const (
	MaxAnswers   = 200
	MaxItemIDLen = 32
)

// ValidationError names the first invalid answer of a submission.
type ValidationError struct {
	ItemID  string // the item, "band" or "started_at"
	Message string // Chinese, for the respondent
}

func (e *ValidationError) Error() string { return e.Message }

// wireSubmission is the strict JSON body.
type wireSubmission struct {
	Answers   map[string]string `json:"answers"`
	StartedAt *string           `json:"started_at"`
	Band      *string           `json:"band"`
}

// ParseSubmission parses a JSON body strictly: unknown fields, values that are
// not strings (so {"$gt": ""} is refused), trailing data, invalid UTF-8 and
// oversized content are errors.
func ParseSubmission(body []byte) (Submission, error) {
	if !utf8.Valid(body) {
		return Submission{}, errors.New("body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var w wireSubmission
	if err := dec.Decode(&w); err != nil {
		return Submission{}, fmt.Errorf("malformed submission: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Submission{}, errors.New("malformed submission: data after the JSON object")
	}
	if w.Answers == nil {
		return Submission{}, errors.New("malformed submission: no answers")
	}
	sub := Submission{Answers: w.Answers}
	if w.Band != nil {
		sub.Band = *w.Band
	}
	if w.StartedAt != nil && *w.StartedAt != "" {
		t, err := time.Parse(time.RFC3339Nano, *w.StartedAt)
		if err != nil {
			return Submission{}, fmt.Errorf("malformed submission: started_at: want RFC 3339: %w", err)
		}
		sub.StartedAt = t
	}
	return sub, sub.checkSizes()
}

// ParseFormSubmission reads the no-JavaScript form post: fields a_<item id>,
// band and started_at.
func ParseFormSubmission(v url.Values) (Submission, error) {
	sub := Submission{Answers: map[string]string{}, Band: v.Get("band")}
	for k, vals := range v {
		if id, ok := strings.CutPrefix(k, "a_"); ok && len(vals) > 0 {
			sub.Answers[id] = vals[0]
		}
	}
	if s := v.Get("started_at"); s != "" {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return Submission{}, fmt.Errorf("malformed submission: started_at: %w", err)
		}
		sub.StartedAt = t
	}
	return sub, sub.checkSizes()
}

func (s Submission) checkSizes() error {
	if len(s.Answers) > MaxAnswers {
		return fmt.Errorf("malformed submission: %d answers, at most %d", len(s.Answers), MaxAnswers)
	}
	for id, v := range s.Answers {
		if len(id) > MaxItemIDLen || len(v) > 8 || !utf8.ValidString(id) || !utf8.ValidString(v) {
			return errors.New("malformed submission: an item id or answer is too long or not text")
		}
	}
	if len(s.Band) > 16 {
		return errors.New("malformed submission: band too long")
	}
	return nil
}

// Validate checks a submission against the form for group g and returns a
// *ValidationError for the first invalid answer: unknown items first, then
// each item in form order (missing, or an option not offered), then the band.
func (q Questionnaire) Validate(sub Submission, g Group) error {
	known := make(map[string]bool, len(q.Items))
	for _, it := range q.Items {
		known[it.ID] = true
	}
	var unknown []string
	for id := range sub.Answers {
		if !known[id] {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		first := unknown[0]
		for _, id := range unknown {
			if id < first {
				first = id
			}
		}
		return &ValidationError{ItemID: first, Message: fmt.Sprintf("题目 %q 不在本问卷中，请刷新页面后重新作答。", clip(first))}
	}
	for i, it := range q.Items {
		a, ok := sub.Answers[it.ID]
		if !ok || a == "" {
			return &ValidationError{ItemID: it.ID, Message: fmt.Sprintf("第 %d 题还没有作答。", i+1)}
		}
		if _, offered := DefaultOptionLabels[a]; !offered {
			return &ValidationError{ItemID: it.ID, Message: fmt.Sprintf("第 %d 题的答案无效，请重新选择。", i+1)}
		}
	}
	if bands := BandsFor(g); len(bands) > 0 && sub.Band != "" {
		for _, b := range bands {
			if string(b) == sub.Band {
				return nil
			}
		}
		return &ValidationError{ItemID: "band", Message: "请选择孩子（或您）所在的学段。"}
	}
	return nil
}

// RequireBand is Validate's band check for codes that do not fix the band.
func RequireBand(sub Submission, g Group) error {
	if len(BandsFor(g)) > 0 && sub.Band == "" {
		return &ValidationError{ItemID: "band", Message: "请选择孩子（或您）所在的学段。"}
	}
	return nil
}

func clip(s string) string {
	if len(s) > 32 {
		return s[:32] + "…"
	}
	return s
}
