package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"renke/survey"
)

// TestScoringInEachFormsWords: the survey page shows the scoring as a table
// per form in that form's labels, the new-survey page words each form's
// scheme in its own labels, the stuffing legend names the levels neutrally,
// and the JSON API gives a scoring per form.
func TestScoringInEachFormsWords(t *testing.T) {
	f := newConsoleFixture(t)
	c := f.login("coord")
	res, body := c.get("/console/surveys/" + f.home.ID)
	page := string(body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("survey page: %d", res.StatusCode)
	}
	table := func(form survey.FormKind) string {
		i := strings.Index(page, `id="scoring-`+string(form)+`"`)
		if i < 0 {
			t.Fatalf("no scoring table for %s", form)
		}
		return page[i : i+strings.Index(page[i:], "</table>")]
	}
	for form, want := range map[survey.FormKind][2][]string{
		survey.StudentForm: {{"满意", "比较满意", "不满意", "不知道"}, {"认可", "不了解"}},
		survey.StaffForm:   {{"认可", "比较认可", "不认可", "不了解"}, {"满意", "不知道"}},
		survey.SocialForm:  {{"满意", "基本满意", "不满意", "不了解"}, {"认可", "不知道"}},
	} {
		tb := table(form)
		for _, l := range want[0] {
			if !strings.Contains(tb, "<th>"+l+"</th>") {
				t.Errorf("%s table lacks %s", form, l)
			}
		}
		for _, l := range want[1] {
			if strings.Contains(tb, "<th>"+l+"</th>") {
				t.Errorf("%s table shows another form's %s", form, l)
			}
		}
	}
	_, body = c.get("/console/counties/" + url.PathEscape(homeCounty) + "/surveys/new")
	if p := string(body); !strings.Contains(p, "学生问卷（学生）：“满意”“比较满意”“基本满意”计 1 分，“不满意”计 0 分，“不知道”不计分") ||
		!strings.Contains(p, "（教师、校长）：“认可”“比较认可”“基本认可”计 1 分") {
		t.Errorf("the new-survey page does not word each form's scheme in its labels")
	}
	res, body = c.get("/api/v1/surveys/" + f.home.ID)
	var out struct {
		Scoring []survey.FormScoring `json:"scoring"`
	}
	if err := json.Unmarshal(body, &out); err != nil || res.StatusCode != http.StatusOK || len(out.Scoring) != 3 {
		t.Fatalf("JSON: %d %v %d forms", res.StatusCode, err, len(out.Scoring))
	}
	if o := out.Scoring[0].Options[4]; out.Scoring[0].Form != survey.StudentForm || o.Label != "不知道" || o.Score != nil {
		t.Errorf("JSON student scoring %+v", out.Scoring[0])
	}
}
