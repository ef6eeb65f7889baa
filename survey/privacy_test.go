package survey

import (
	"strings"
	"testing"
)

func TestPrivacyNotice(t *testing.T) {
	for _, k := range FormKinds {
		q := DefaultQuestionnaire(k)
		if n := q.PrivacyNotice(); len(n) == 0 || !strings.Contains(strings.Join(n, ""), "180 天") {
			t.Errorf("%s: default notice %q", k, n)
		}
	}
	if n := DefaultQuestionnaire(StudentForm).PrivacyNotice(); len(n) != 3 || !strings.HasPrefix(n[2], "家长") {
		t.Errorf("student notice %q: want three paragraphs, the last for guardians", n)
	}
	q := DefaultQuestionnaire(StaffForm)
	q.Privacy = strings.Repeat("长", MaxPrivacyText)
	if err := ValidateQuestionnaire(q, DefaultScheme()); err == nil || !strings.Contains(err.Error(), "隐私说明过长") {
		t.Errorf("an overlong notice: %v", err)
	}
}

// A county sets its own notice in the questionnaire YAML.
func TestPrivacyInYAML(t *testing.T) {
	q := DefaultQuestionnaire(SocialForm)
	q.Privacy = "本县的说明。\n第二段。"
	b, err := q.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseQuestionnaireYAML(b)
	if err != nil {
		t.Fatal(err)
	}
	if n := back.PrivacyNotice(); len(n) != 2 || n[0] != "本县的说明。" {
		t.Errorf("notice after the YAML round trip: %q", n)
	}
}
