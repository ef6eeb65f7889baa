package web

import (
	"net/url"
	"time"

	"renke/survey"
)

// FormPage is the data of form.html, the respondent's page for one access code.
// Build it with NewFormPage; after a refused no-JavaScript post, WithSubmission
// puts the respondent's answers and the error back on it.
type FormPage struct {
	Title      string // the survey's title, e.g. 南川区义务教育社会认可度调查
	FormTitle  string // the questionnaire's title, e.g. 学生问卷
	Intro      string // the questionnaire's introduction
	Code       string // the access code
	Group      string // group code, e.g. parent
	GroupLabel string // group name, e.g. 家长
	// BandQuestion asks the grade band; Bands are its choices. No band
	// question is shown when Bands is empty (the group has no bands, or the
	// code fixes the band).
	BandQuestion string
	Bands        []BandOption
	BandInvalid  bool
	Items        []FormItem
	Minutes      int    // how long the form takes, for the reassurance line
	StartedAt    string // RFC 3339, rendered into a hidden field
	SubmitURL    string // /s/<code>: the no-JavaScript form post
	APIURL       string // /api/v1/codes/<code>/responses: the JSON post
	ThanksURL    string // /s/<code>/thanks
	// Error is a Chinese message shown above the submit button (no-JavaScript
	// path: the server's 4xx message after a refused post).
	Error string
	// Privacy is the form's short privacy notice, one paragraph an entry;
	// PrivacyURL links the full notice (PrivacyPath).
	Privacy    []string
	PrivacyURL string
	// Preview marks a coordinator's preview: a banner says so, nothing is
	// kept on the phone and the form cannot be submitted.
	Preview bool
}

// PrivacyPath is the URL path of the full privacy notice (privacy.html).
const PrivacyPath = "/privacy"

// BandOption is one choice of the grade-band question.
type BandOption struct {
	Code     string // g1-2, g3-4, g5-6, g7-9
	Label    string
	Selected bool
}

// FormItem is one question on the page.
type FormItem struct {
	N         int // 1-based position
	ID        string
	Text      string
	Dimension string
	Options   []Option
	Invalid   bool // the first invalid answer of a refused post
}

// Option is one answer of an item.
type Option struct {
	Code    string // 1, 2, 3, 4 or 9
	Label   string // 认可 … 不了解, as the questionnaire words them
	Checked bool
}

// ThanksPage is the data of thanks.html.
type ThanksPage struct {
	Title   string // the survey's title
	Message string // optional; a default thank-you is shown when empty
}

// MessagePage is the data of message.html: a page that only explains, such
// as 二维码无效, 问卷尚未开放或已结束 or 名额已满.
type MessagePage struct {
	Title   string // heading, e.g. 问卷尚未开放或已结束
	Message string // one or two sentences of Chinese
	// State is the access code's state (survey.CodeStatus, e.g. used, full)
	// when the page tells why a code cannot be answered; tests and styles key on it.
	State string
}

// secondsPerItem is the reading-and-answering time the reassurance line assumes.
const secondsPerItem = 15

// NewFormPage builds the page of access code for group g from the survey's
// title and the group's questionnaire. fixedBand is the band the code fixes
// ("" when the respondent chooses it). startedAt is when the page is served.
func NewFormPage(surveyTitle string, q survey.Questionnaire, code string, g survey.Group, fixedBand survey.Band, startedAt time.Time) FormPage {
	esc := url.PathEscape(code)
	p := FormPage{
		Title: surveyTitle, FormTitle: q.Title, Intro: q.Intro, Code: code,
		Group: string(g), GroupLabel: g.Label(),
		Minutes:   max(1, (len(q.Items)*secondsPerItem+59)/60),
		StartedAt: startedAt.In(survey.Shanghai).Format(time.RFC3339),
		SubmitURL: "/s/" + esc, APIURL: "/api/v1/codes/" + esc + "/responses", ThanksURL: "/s/" + esc + "/thanks",
		Privacy: q.PrivacyNotice(), PrivacyURL: PrivacyPath,
	}
	if fixedBand == "" {
		for _, b := range survey.BandsFor(g) {
			p.Bands = append(p.Bands, BandOption{Code: string(b), Label: b.Label()})
		}
		p.BandQuestion = "您的孩子在读哪个年级段？"
		if g == survey.Student {
			p.BandQuestion = "你在读几年级？"
		}
	}
	for i, it := range q.Items {
		fi := FormItem{N: i + 1, ID: it.ID, Text: it.Text, Dimension: it.Dimension}
		for _, c := range survey.OptionCodes {
			fi.Options = append(fi.Options, Option{Code: c, Label: q.OptionLabel(c)})
		}
		p.Items = append(p.Items, fi)
	}
	return p
}

// NewPreviewPage is the page respondents of group g will see for
// questionnaire q, as a preview: it carries no code and cannot be submitted.
// band is the band a code would fix ("" when respondents choose it).
func NewPreviewPage(surveyTitle string, q survey.Questionnaire, g survey.Group, band survey.Band, now time.Time) FormPage {
	p := NewFormPage(surveyTitle, q, "preview", g, band, now)
	p.Preview = true
	p.Code, p.SubmitURL, p.APIURL, p.ThanksURL = "", "", "", ""
	return p
}

// WithSubmission returns a copy of the page with the answers of sub checked,
// and, when verr is not nil, its item marked and its message shown.
func (p FormPage) WithSubmission(sub survey.Submission, verr *survey.ValidationError) FormPage {
	p.Bands = append([]BandOption(nil), p.Bands...)
	for i := range p.Bands {
		p.Bands[i].Selected = p.Bands[i].Code == sub.Band
	}
	p.Items = append([]FormItem(nil), p.Items...)
	for i := range p.Items {
		it := &p.Items[i]
		it.Options = append([]Option(nil), it.Options...)
		for j := range it.Options {
			it.Options[j].Checked = sub.Answers[it.ID] == it.Options[j].Code
		}
		it.Invalid = verr != nil && verr.ItemID == it.ID
	}
	if !sub.StartedAt.IsZero() {
		p.StartedAt = sub.StartedAt.In(survey.Shanghai).Format(time.RFC3339)
	}
	p.BandInvalid = verr != nil && verr.ItemID == "band"
	if verr != nil {
		p.Error = verr.Message
	}
	return p
}

// Answered counts the items with a checked answer.
func (p FormPage) Answered() int {
	n := 0
	for _, it := range p.Items {
		for _, o := range it.Options {
			if o.Checked {
				n++
				break
			}
		}
	}
	return n
}

// DontKnow is how the form words 不了解, for the hint under the items.
func (p FormPage) DontKnow() string {
	for _, it := range p.Items {
		for _, o := range it.Options {
			if o.Code == survey.OptDontKnow {
				return o.Label
			}
		}
	}
	return survey.DefaultOptionLabels[survey.OptDontKnow]
}
