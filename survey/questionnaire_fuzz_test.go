package survey_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"renke/survey"
)

// FuzzParseQuestionnaireYAML feeds arbitrary files to the questionnaire
// importer: it must never panic or hang, every error must say something, and
// an accepted questionnaire must validate and survive its own export
// (Questionnaire.YAML) unchanged, as a coordinator's export-edit-import does.
func FuzzParseQuestionnaireYAML(f *testing.F) {
	files, err := filepath.Glob("questionnaires/*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no shipped questionnaires to seed from (%v)", err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"kind: staff\nitems:\n  - {id: t01, text: 题, dimension: 教育公平}\n",
		"kind: staff\nversion: -1\ntitle: <script>alert(1)</script>\nitems:\n  - id: band\n    text: x\n    dimension: 无\n",
		"kind: social\nlabels: {\"1\": 很好, \"7\": 无}\nitems:\n  - &a {id: s01, text: 题, dimension: 总体认可}\n  - *a\n",
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
		"kind: staff\nkind: student\n",
		"kind: staff\nitems: !!binary aGVsbG8=\n",
		"- not\n- a\n- mapping\n",
		"kind: staff\nversion: 99999999999999999999\n",
		"kind: staff\nitems:\n  - <<: {id: t01, text: 题}\n    dimension: 教育公平\n",
		"\t kind: staff",
		strings.Repeat("[", 5000),
		"kind: staff\nitems:\n  - id: t01\n    text: \"\\u0085 \\r\\n 题 \\u2028\"\n    dimension: 教育公平\n",
		"---\n...\n---\nkind: staff\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		q, err := survey.ParseQuestionnaireYAML(b)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("an error without a message")
			}
			return
		}
		if err := survey.ValidateQuestionnaire(q, survey.DefaultScheme()); err != nil {
			t.Fatalf("accepted a questionnaire that fails validation: %v", err)
		}
		out, err := q.YAML()
		if err != nil {
			t.Fatalf("export an accepted questionnaire: %v", err)
		}
		back, err := survey.ParseQuestionnaireYAML(out)
		if err != nil {
			t.Fatalf("the export of an accepted questionnaire is refused: %v\n%s", err, out)
		}
		if len(q.Labels) == 0 && len(back.Labels) == 0 {
			q.Labels, back.Labels = nil, nil // an empty labels map is not exported
		}
		if !reflect.DeepEqual(q, back) {
			t.Fatalf("export and import changed the questionnaire:\n%#v\n%#v\nexport:\n%s", q, back, out)
		}
	})
}
