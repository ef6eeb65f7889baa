package survey

import (
	"fmt"
	"strconv"
	"strings"
)

// The words of the answers. Each form speaks its own: the social and student
// forms ask 满意/比较满意/基本满意/不满意 (students answer 不知道 where the others
// answer 不了解), the staff form 认可/比较认可/基本认可/不认可. A text about one
// form uses that form's labels; a text that covers several forms (the
// estimate, the stuffing rules, the replication file) names the levels with
// the neutral LevelWords.

// LevelWords are the neutral names of the four levels and of "no opinion",
// for texts that cover forms with different labels.
var LevelWords = map[string]string{
	OptRecognise: "第一档", OptRatherAgree: "第二档", OptBasicallyAgree: "第三档",
	OptNotRecognise: "第四档", OptDontKnow: "无法评价",
}

// LevelWord is the neutral name of option code.
func LevelWord(code string) string { return LevelWords[code] }

// OptionWords is one option as a form words it, with its neutral level word
// and its score (nil when the option is not scored).
type OptionWords struct {
	Code  string   `json:"code"`
	Label string   `json:"label"`
	Level string   `json:"level"`
	Score *float64 `json:"score"`
}

// FormScoring is the scoring of one form in its own words: which groups answer
// it and what each of its options scores.
type FormScoring struct {
	Form      FormKind      `json:"form"`
	FormLabel string        `json:"form_label"`
	Title     string        `json:"title"`
	Groups    []Group       `json:"groups"`
	GroupText string        `json:"group_text"`
	Options   []OptionWords `json:"options"`
	// Text says the scoring in one sentence, in the form's words.
	Text string `json:"text"`
}

// Scoring lists each form of forms (in FormKinds order) with the scores of
// scheme in that form's words.
func Scoring(forms map[FormKind]Questionnaire, scheme Scheme) []FormScoring {
	var out []FormScoring
	for _, k := range FormKinds {
		q, ok := forms[k]
		if !ok {
			continue
		}
		fs := FormScoring{Form: k, FormLabel: k.Label(), Title: q.Title}
		var groups []string
		for _, g := range Groups {
			if g.Form() == k {
				fs.Groups = append(fs.Groups, g)
				groups = append(groups, g.Label())
			}
		}
		fs.GroupText = strings.Join(groups, "、")
		for _, code := range OptionCodes {
			o := OptionWords{Code: code, Label: q.OptionLabel(code), Level: LevelWord(code)}
			if v, ok := scheme.Score(code); ok {
				o.Score = &v
			}
			fs.Options = append(fs.Options, o)
		}
		fs.Text = scoringText(fs.Options, func(l string) string { return "“" + l + "”" }, "")
		out = append(out, fs)
	}
	return out
}

// scoringText says the scores of opts in one sentence, grouping options of
// equal score: “满意”“比较满意”“基本满意”计 1 分，“不满意”计 0 分，“不了解”不计分，也不计入分母.
func scoringText(opts []OptionWords, name func(string) string, sep string) string {
	var parts, unscored []string
	for i := 0; i < len(opts); {
		if opts[i].Score == nil {
			unscored = append(unscored, name(opts[i].Label))
			i++
			continue
		}
		j := i
		var names []string
		for j < len(opts) && opts[j].Score != nil && *opts[j].Score == *opts[i].Score {
			names = append(names, name(opts[j].Label))
			j++
		}
		parts = append(parts, strings.Join(names, sep)+"计 "+FormatScore(*opts[i].Score)+" 分")
		i = j
	}
	t := strings.Join(parts, "，")
	if len(unscored) > 0 {
		if t != "" {
			t += "，"
		}
		t += strings.Join(unscored, sep) + "不计分，也不计入分母"
	}
	return t
}

// FormatScore writes a score without trailing zeros (1, 0.8, 0.6).
func FormatScore(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// LevelsText says the scores of scheme with the neutral level words, for a
// text that covers several forms: 第一档至第三档计 1 分，第四档计 0 分，无法评价不计分.
func LevelsText(scheme Scheme) string {
	opts := make([]OptionWords, 0, len(OptionCodes))
	for _, code := range OptionCodes {
		o := OptionWords{Code: code, Label: LevelWord(code)}
		if v, ok := scheme.Score(code); ok {
			o.Score = &v
		}
		opts = append(opts, o)
	}
	return scoringText(opts, func(l string) string { return l }, "、")
}

// LevelLegend lists the option codes with their neutral level words and, per
// form, its own labels, e.g. 1 第一档（满意／认可）: for a table of answer codes
// that covers several forms.
func LevelLegend(forms map[FormKind]Questionnaire) string {
	var parts []string
	for _, code := range OptionCodes {
		seen := map[string]bool{}
		var labels []string
		for _, k := range FormKinds {
			if q, ok := forms[k]; ok {
				if l := q.OptionLabel(code); !seen[l] {
					seen[l] = true
					labels = append(labels, l)
				}
			}
		}
		parts = append(parts, fmt.Sprintf("%s %s（%s）", code, LevelWord(code), strings.Join(labels, "／")))
	}
	return strings.Join(parts, "，")
}
