package views

import (
	"time"

	"renke/survey"
)

// SurveyOut is a survey as the API answers with it: with its phase (the
// status read against the window, in the words every door uses).
type SurveyOut struct {
	*survey.Survey
	Phase survey.Phase `json:"phase"`
	// Scoring is the scheme per form, in each form's own labels.
	Scoring []survey.FormScoring `json:"scoring"`
}

func SurveyJSON(sv *survey.Survey, now time.Time) SurveyOut {
	return SurveyOut{Survey: sv, Phase: sv.PhaseAt(now), Scoring: survey.Scoring(sv.Forms, sv.Scheme)}
}
