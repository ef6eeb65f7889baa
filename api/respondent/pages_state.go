package respondent

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"renke/submission"
	"renke/survey"
	"renke/web"
)

// stateBudget bounds the Redis and store look-ups behind a code's state: past it the
// state is what is known so far (the submission checks again anyway).
const stateBudget = 500 * time.Millisecond

// codeState says whether code can be answered now (the submission
// protocol's State, within stateBudget; the submission checks again).
func (s *Handler) codeState(c *gin.Context, code *survey.Code, sv *survey.Survey) survey.CodeState {
	ctx, cancel := context.WithTimeout(c.Request.Context(), stateBudget)
	defer cancel()
	return s.intake.State(ctx, sv, code, s.client.KnownDevice(c))
}

// stateStatus is the HTTP status of a code that cannot be answered: its
// refusal's, from the one table of outcomes.
func stateStatus(st survey.CodeStatus) int {
	return statusOf[submission.StateOutcome(survey.CodeState{Status: st}).Kind]
}

// statePage shows a code that cannot be answered, before any question.
func (s *Handler) statePage(c *gin.Context, st survey.CodeState) {
	s.form.HTML(c, stateStatus(st.Status), "message.html", web.MessagePage{Title: st.Title, Message: st.Message, State: string(st.Status)})
}

// stateJSON answers GET /api/v1/codes/<code>/form for a code that cannot be answered.
func stateJSON(c *gin.Context, st survey.CodeState) {
	body := gin.H{"error": st.Message, "state": st.Status, "title": st.Title}
	if !st.Opens.IsZero() {
		body["opens"] = st.Opens
	}
	if !st.Closes.IsZero() {
		body["closes"] = st.Closes
	}
	c.JSON(stateStatus(st.Status), body)
}
