package survey

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"
)

// FuzzParseSubmission feeds arbitrary bodies to the JSON parser: it must never
// panic, every error must wrap ErrMalformed, and an accepted submission must
// survive a round trip through both wire forms unchanged. Validation of an
// accepted submission must not panic either.
func FuzzParseSubmission(f *testing.F) {
	for _, seed := range []string{
		`{"answers": {"c01": "1", "c02": "9"}, "started_at": "2025-05-20T09:30:00+08:00", "band": "g3-4"}`,
		`{"answers": {"c01": {"$gt": ""}}}`,
		`{"answers": {}, "band": "$ne"}`,
		`{"answers": {"\u0000": "\ud800"}}`,
		`[{"answers": {}}]`,
	} {
		f.Add([]byte(seed))
	}
	social := DefaultQuestionnaire(SocialForm)
	f.Fuzz(func(t *testing.T, body []byte) {
		sub, err := ParseSubmission(body)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		_ = social.Validate(sub, Parent)
		_ = RequireBand(sub, Parent)

		// JSON round trip.
		wire := map[string]any{"answers": sub.Answers}
		if sub.Band != "" {
			wire["band"] = sub.Band
		}
		if !sub.StartedAt.IsZero() {
			wire["started_at"] = sub.StartedAt.Format(time.RFC3339Nano)
		}
		b, err := json.Marshal(wire)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", sub, err)
		}
		back, err := ParseSubmission(b)
		if err != nil {
			t.Fatalf("accepted %q, but its re-encoding %s was refused: %v", body, b, err)
		}
		sameSubmission(t, sub, back)

		// Form round trip, for item ids the form post can carry.
		v := url.Values{}
		for id, a := range sub.Answers {
			v.Set("a_"+id, a)
		}
		if sub.Band != "" {
			v.Set("band", sub.Band)
		}
		if !sub.StartedAt.IsZero() {
			v.Set("started_at", sub.StartedAt.Format(time.RFC3339Nano))
		}
		parsedForm, err := url.ParseQuery(v.Encode())
		if err != nil {
			t.Fatalf("form encoding of %+v: %v", sub, err)
		}
		fromForm, err := ParseFormSubmission(parsedForm)
		if err != nil {
			t.Fatalf("accepted %q, but its form encoding was refused: %v", body, err)
		}
		sameSubmission(t, sub, fromForm)
	})
}

func sameSubmission(t *testing.T, a, b Submission) {
	t.Helper()
	if !reflect.DeepEqual(a.Answers, b.Answers) || a.Band != b.Band || !a.StartedAt.Equal(b.StartedAt) {
		t.Fatalf("round trip changed the submission:\n%+v\n%+v", a, b)
	}
}
