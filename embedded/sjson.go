package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"renke/survey"
)

// sjsonResponse is a stored response as FerretDB v1 keeps it in SQLite
// (its "sjson": the document's fields as JSON, dates as milliseconds since
// the epoch, and the type schema under "$s", which is not needed here: every
// field of a response has one type). The field names are the store's BSON
// names of survey.Response.
type sjsonResponse struct {
	ID          string            `json:"_id"`
	SurveyID    string            `json:"survey_id"`
	Code        string            `json:"code"`
	CodeKind    survey.CodeKind   `json:"code_kind"`
	Form        survey.FormKind   `json:"form"`
	FormVersion int               `json:"form_version"`
	Group       survey.Group      `json:"group"`
	School      string            `json:"school"`
	Township    string            `json:"township"`
	Urbanicity  survey.Urbanicity `json:"urbanicity"`
	Band        survey.Band       `json:"band"`
	Answers     map[string]string `json:"answers"`
	StartedAt   *int64            `json:"started_at"`
	SubmittedAt *int64            `json:"submitted_at"`
	DeviceID    string            `json:"device_id"`
	AddrHash    string            `json:"addr_hash"`
	UAFamily    string            `json:"ua_family"`
	Format      int               `json:"format"`
	Commit      string            `json:"commit"`
	Seq         int64             `json:"seq"`
	PrevHash    string            `json:"prev_hash"`
	Hash        string            `json:"hash"`
}

// millis is a stored date as the MongoDB driver decodes it: UTC, the zero
// time when absent.
func millis(ms *int64) time.Time {
	if ms == nil {
		return time.Time{}
	}
	return time.UnixMilli(*ms).UTC()
}

// withoutSchema returns the document without its leading "$s" schema
// (about half its bytes), in buf; doc itself when it has none where
// FerretDB puts it.
func withoutSchema(doc, buf []byte) []byte {
	const head = `{"$s":{`
	if !bytes.HasPrefix(doc, []byte(head)) {
		return doc
	}
	depth, in := 0, false
	for i := len(head) - 1; i < len(doc); i++ {
		c := doc[i]
		switch {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case in:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				rest := doc[i+1:]
				if len(rest) > 0 && rest[0] == ',' {
					rest = rest[1:]
				}
				return append(append(buf[:0], '{'), rest...)
			}
		}
	}
	return doc
}

// decodeResponse decodes one stored response document into r, as the
// MongoDB driver would; buf is scratch space reused between calls.
func decodeResponse(doc []byte, buf *[]byte, r *survey.Response) error {
	var s sjsonResponse
	d := withoutSchema(doc, *buf)
	if len(d) > 0 && len(doc) > 0 && &d[0] != &doc[0] {
		*buf = d[:0] // keep the grown scratch space, never the row's own bytes
	}
	if err := json.Unmarshal(d, &s); err != nil {
		return err
	}
	*r = survey.Response{ID: s.ID, SurveyID: s.SurveyID, Code: s.Code, CodeKind: s.CodeKind, Form: s.Form,
		FormVersion: s.FormVersion, Group: s.Group, School: s.School, Township: s.Township,
		Urbanicity: s.Urbanicity, Band: s.Band, Answers: s.Answers,
		StartedAt: millis(s.StartedAt), SubmittedAt: millis(s.SubmittedAt),
		DeviceID: s.DeviceID, AddrHash: s.AddrHash, UAFamily: s.UAFamily, Format: s.Format, Commit: s.Commit,
		Seq: s.Seq, PrevHash: s.PrevHash, Hash: s.Hash}
	return nil
}

// EachResponseAfter calls fn with every response stored in the collection
// whose seq is above after, in seq order (store.Direct). The *Response is
// reused between calls.
func (d *Direct) EachResponseAfter(ctx context.Context, database, collection string, after int64, fn func(*survey.Response) error) error {
	var r survey.Response
	var buf []byte
	return d.EachAfter(ctx, database, collection, after, func(doc []byte) error {
		if err := decodeResponse(doc, &buf, &r); err != nil {
			return fmt.Errorf("decode a response of %s: %w", collection, err)
		}
		return fn(&r)
	})
}

// sjsonCode is a stored access code as FerretDB keeps it (see sjsonResponse).
type sjsonCode struct {
	Code       string            `json:"_id"`
	SurveyID   string            `json:"survey_id"`
	Kind       survey.CodeKind   `json:"kind"`
	Group      survey.Group      `json:"group"`
	School     string            `json:"school"`
	SchoolName string            `json:"school_name"`
	Township   string            `json:"township"`
	Urbanicity survey.Urbanicity `json:"urbanicity"`
	Band       survey.Band       `json:"band"`
	Quota      int               `json:"quota"`
	Batch      string            `json:"batch"`
	Created    *int64            `json:"created"`
	OutOfPlan  string            `json:"out_of_plan"`
	Voided     *int64            `json:"voided"`
}

// CodesOf returns the codes of one kind of a survey stored in the
// collection, in the order they were stored (store.Direct).
func (d *Direct) CodesOf(ctx context.Context, database, collection, surveyID string, kind survey.CodeKind) ([]survey.Code, error) {
	var out []survey.Code
	err := d.EachOf(ctx, database, collection, surveyID, string(kind), func(doc []byte) error {
		var c sjsonCode
		if err := json.Unmarshal(doc, &c); err != nil {
			return fmt.Errorf("decode a code of %s: %w", collection, err)
		}
		out = append(out, survey.Code{Code: c.Code, SurveyID: c.SurveyID, Kind: c.Kind, Group: c.Group, School: c.School,
			SchoolName: c.SchoolName, Township: c.Township, Urbanicity: c.Urbanicity, Band: c.Band, Quota: c.Quota,
			Batch: c.Batch, Created: millis(c.Created), OutOfPlan: c.OutOfPlan, Voided: millis(c.Voided)})
		return nil
	})
	return out, err
}
