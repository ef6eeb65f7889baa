package views

import (
	"github.com/gin-gonic/gin"

	"renke/survey"
)

// CodeRow is a code as the API lists it.
type CodeRow struct {
	survey.Code
	URL        string         `json:"url"`
	Used       int64          `json:"used"`
	State      survey.CodeUse `json:"state"`
	StateLabel string         `json:"state_label"`
	Purpose    string         `json:"purpose"`
}

// NewCodeRow is code k, used times, as the lists show it.
func NewCodeRow(k survey.Code, base string, used int64) CodeRow {
	st := survey.UseOf(k, used)
	return CodeRow{Code: k, URL: k.URL(base), Used: used, State: st, StateLabel: st.Label(), Purpose: k.Purpose()}
}

// CodeRows lists sv's codes (of one batch, or all) with their use counts, in
// the order every door shows them (survey.OrderCodes).
func (s *Views) CodeRows(c *gin.Context, sv *survey.Survey, batch string) ([]CodeRow, error) {
	codes, err := s.Store.Codes(c.Request.Context(), sv.ID)
	if err != nil {
		return nil, err
	}
	counts, err := s.Store.CountsByCode(c.Request.Context(), sv.ID)
	if err != nil {
		return nil, err
	}
	survey.OrderCodes(codes)
	out := make([]CodeRow, 0, len(codes))
	for _, k := range codes {
		if batch == "" || k.Batch == batch {
			out = append(out, NewCodeRow(k, s.PublicURL, counts[k.Code]))
		}
	}
	return out, nil
}
