package survey

import (
	"embed"
	"fmt"
)

//go:embed questionnaires/*.yaml
var defaultFiles embed.FS

// DefaultQuestionnaire is the shipped version of one form.
func DefaultQuestionnaire(kind FormKind) Questionnaire {
	b, err := defaultFiles.ReadFile("questionnaires/" + string(kind) + ".yaml")
	if err != nil {
		panic(fmt.Sprintf("survey: no default questionnaire for %q", kind))
	}
	q, err := ParseQuestionnaireYAML(b)
	if err != nil {
		panic(fmt.Sprintf("survey: default questionnaire %s is invalid: %v", kind, err))
	}
	return q
}

// DefaultForms returns a fresh copy of the three shipped forms.
func DefaultForms() map[FormKind]Questionnaire {
	out := make(map[FormKind]Questionnaire, len(FormKinds))
	for _, k := range FormKinds {
		out[k] = DefaultQuestionnaire(k)
	}
	return out
}
