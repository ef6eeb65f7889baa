package respondent

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/gin-gonic/gin"

	"renke/submission"
	"renke/survey"
)

// formOption is one answer on the wire.
type formOption struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// formItem is one question on the wire.
type formItem struct {
	ID        string       `json:"id"`
	Text      string       `json:"text"`
	Dimension string       `json:"dimension"`
	Options   []formOption `json:"options"`
}

// formJSON is GET /api/v1/codes/<code>/form.
type formJSON struct {
	Survey      string       `json:"survey"`
	Title       string       `json:"title"`
	Intro       string       `json:"intro"`
	Group       survey.Group `json:"group"`
	GroupLabel  string       `json:"group_label"`
	Form        string       `json:"form"`
	FormVersion int          `json:"form_version"`
	Band        survey.Band  `json:"band,omitempty"`
	Bands       []formOption `json:"bands,omitempty"`
	Items       []formItem   `json:"items"`
}

func optionLabels(q survey.Questionnaire) []formOption {
	out := make([]formOption, 0, len(survey.OptionCodes))
	for _, code := range survey.OptionCodes {
		label := survey.DefaultOptionLabels[code]
		if l, ok := q.Labels[code]; ok && l != "" {
			label = l
		}
		out = append(out, formOption{Code: code, Label: label})
	}
	return out
}

// bandChoices lists the bands a respondent must choose from: none when the
// code fixes the band or the group has none.
func bandChoices(code *survey.Code) []formOption {
	if code.Band != "" || !code.Group.HasBand() {
		return nil
	}
	var out []formOption
	for _, b := range survey.BandsFor(code.Group) {
		out = append(out, formOption{Code: string(b), Label: b.Label()})
	}
	return out
}

func buildForm(sv *survey.Survey, code *survey.Code) (formJSON, bool) {
	q, ok := sv.Forms[code.Group.Form()]
	if !ok {
		return formJSON{}, false
	}
	opts := optionLabels(q)
	f := formJSON{Survey: sv.ID, Title: sv.Title, Intro: q.Intro, Group: code.Group, GroupLabel: code.Group.Label(),
		Form: string(q.Kind), FormVersion: q.Version, Band: code.Band, Bands: bandChoices(code)}
	for _, it := range q.Items {
		f.Items = append(f.Items, formItem{ID: it.ID, Text: it.Text, Dimension: it.Dimension, Options: opts})
	}
	return f, true
}

// apiForm serves the form of a code as JSON.
func (s *Handler) apiForm(c *gin.Context) {
	code, sv, out := s.resolve(c, c.Param("code"))
	if code == nil || sv == nil {
		writeJSONOutcome(c, out)
		return
	}
	if st := submission.StateOutcome(s.codeState(c, code, sv)); st.Ends() {
		writeJSONOutcome(c, fromOutcome(st))
		return
	}
	f, ok := buildForm(sv, code)
	if !ok {
		writeJSONOutcome(c, fail(http.StatusInternalServerError, submission.MsgMisconfig))
		return
	}
	c.JSON(http.StatusOK, f)
}

// apiSubmit takes a JSON submission.
func (s *Handler) apiSubmit(c *gin.Context) {
	if mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type")); err != nil || mt != "application/json" {
		writeJSONOutcome(c, fail(http.StatusUnsupportedMediaType, msgContentType))
		return
	}
	body, out := readBody(c)
	if out.status != 0 {
		writeJSONOutcome(c, out)
		return
	}
	sub, err := survey.ParseSubmission(body)
	if err != nil {
		writeJSONOutcome(c, outcome{status: http.StatusBadRequest, msg: err.Error()})
		return
	}
	writeJSONOutcome(c, s.submit(c, c.Param("code"), sub))
}

// readBody reads a body of at most maxBody bytes.
func readBody(c *gin.Context) ([]byte, outcome) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBody)
	body, err := io.ReadAll(c.Request.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, fail(http.StatusRequestEntityTooLarge, msgTooLarge)
	}
	if err != nil {
		return nil, fail(http.StatusBadRequest, msgBadRequest)
	}
	return body, outcome{}
}
