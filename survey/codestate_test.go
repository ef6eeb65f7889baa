package survey

import (
	"strings"
	"testing"
	"time"
)

func TestStateOfCode(t *testing.T) {
	sv := newTestSurvey(t)
	inside := sv.Opens.Add(time.Hour)
	shared := &Code{Code: "s", Kind: SharedCode, Group: "parent", Quota: 7}
	once := &Code{Code: "o", Kind: OneTimeCode, Group: "npc"}
	open := *sv
	open.Status = Open
	closed := open
	closed.Status = Closed
	for _, c := range []struct {
		name string
		f    CodeFacts
		want CodeStatus
		says string
	}{
		{"draft before opening", CodeFacts{Now: sv.Opens.Add(-time.Hour), Survey: sv, Code: shared}, CodeNotOpen, "2025年5月20日 08:00（北京时间）"},
		{"draft past opening", CodeFacts{Now: inside, Survey: sv, Code: shared}, CodeNotOpen, "尚未开放"},
		{"open, before the window", CodeFacts{Now: sv.Opens.Add(-time.Minute), Survey: &open, Code: once}, CodeNotOpen, "开放"},
		{"open, at the close", CodeFacts{Now: open.Closes, Survey: &open, Code: shared}, CodeEnded, "2025年6月3日 08:00（北京时间）"},
		{"closed early", CodeFacts{Now: inside, Survey: &closed, Code: shared}, CodeEnded, "结束"},
		{"used one-time code", CodeFacts{Now: inside, Survey: &open, Code: once, Used: true}, CodeUsed, "索取新的二维码"},
		{"one-time code, phone answered another", CodeFacts{Now: inside, Survey: &open, Code: once, DeviceAnswered: true}, CodeAvailable, ""},
		{"quota full", CodeFacts{Now: inside, Survey: &open, Code: shared, QuotaUsed: 7}, CodeFull, "索取另一个二维码"},
		{"quota left", CodeFacts{Now: inside, Survey: &open, Code: shared, QuotaUsed: 6}, CodeAvailable, ""},
		{"quota unknown", CodeFacts{Now: inside, Survey: &open, Code: shared, QuotaUsed: -1}, CodeAvailable, ""},
		{"phone answered", CodeFacts{Now: inside, Survey: &open, Code: shared, DeviceAnswered: true, QuotaUsed: 7}, CodeAnswered, "这台手机"},
		{"ended beats used", CodeFacts{Now: inside, Survey: &closed, Code: once, Used: true}, CodeEnded, "结束"},
		{"voided", CodeFacts{Now: inside, Survey: &open, Code: shared, QuotaUsed: 1, Voided: true}, CodeVoided, "已作废"},
		{"voided beats ended", CodeFacts{Now: inside, Survey: &closed, Code: once, Voided: true}, CodeVoided, "索取新的二维码"},
	} {
		st := StateOfCode(c.f)
		if st.Status != c.want || !strings.Contains(st.Message, c.says) || st.Available() != (c.want == CodeAvailable) {
			t.Errorf("%s: %+v, want %s saying %q", c.name, st, c.want, c.says)
		}
		if st.Status == CodeNotOpen && strings.Contains(st.Message, "北京时间") && !st.Opens.Equal(sv.Opens) {
			t.Errorf("%s: opens %v, want %v", c.name, st.Opens, sv.Opens)
		}
	}
}
