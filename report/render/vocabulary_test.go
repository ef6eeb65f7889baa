package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"renke/survey"
)

// TestEachFormsLabelsInEveryFormat: the method section of the HTML, PDF and
// Excel reports and the JSON's scoring state each form's scoring in its own
// labels (students 满意…不知道, staff 认可…不了解, the social form 满意…不了解),
// and no format words the scoring with one form's labels for all.
func TestEachFormsLabelsInEveryFormat(t *testing.T) {
	in := fixture(t)
	in.Report.Scoring = survey.Scoring(in.Survey.Forms, in.Survey.Scheme)
	sc := survey.Scoring(in.Survey.Forms, in.Survey.Scheme)
	if len(sc) != 3 {
		t.Fatalf("%d forms", len(sc))
	}
	own := func(f survey.FormScoring) string { return f.Title + "（" + f.GroupText + "）：" + f.Text }
	old := "“认可”记 1 分" // the single vocabulary the report used to apply to every form

	page := string(htmlOf(t, in))
	for _, f := range sc {
		if !strings.Contains(page, own(f)) {
			t.Errorf("HTML lacks %s's scoring %q", f.Form, own(f))
		}
	}
	if strings.Contains(page, old) {
		t.Error("HTML still words every form's scoring as 认可")
	}

	text := strings.Join(strings.Fields(pdfText(t, pdfOf(t, in))), "")
	for _, f := range sc {
		if want := strings.Join(strings.Fields(own(f)), ""); !strings.Contains(text, want) {
			t.Errorf("PDF lacks %s's scoring %q", f.Form, want)
		}
	}

	x, err := excelize.OpenReader(bytes.NewReader(xlsxOf(t, in)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var all strings.Builder
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			all.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	for _, f := range sc {
		if !strings.Contains(all.String(), own(f)) {
			t.Errorf("Excel lacks %s's scoring %q", f.Form, own(f))
		}
	}
	if strings.Contains(all.String(), old) {
		t.Error("Excel still words every form's scoring as 认可")
	}

	b, err := json.Marshal(in.Report)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Scoring []survey.FormScoring `json:"scoring"`
	}
	if err := json.Unmarshal(b, &back); err != nil || len(back.Scoring) != 3 {
		t.Fatalf("JSON scoring: %v %s", err, b[:200])
	}
	for i, f := range back.Scoring {
		labels := []string{}
		for _, o := range f.Options {
			labels = append(labels, o.Label)
		}
		want := map[survey.FormKind]string{survey.StudentForm: "满意 比较满意 基本满意 不满意 不知道",
			survey.StaffForm: "认可 比较认可 基本认可 不认可 不了解", survey.SocialForm: "满意 比较满意 基本满意 不满意 不了解"}[f.Form]
		if got := strings.Join(labels, " "); got != want || f.Text != sc[i].Text {
			t.Errorf("JSON scoring of %s: %q, want %q", f.Form, got, want)
		}
	}
}
