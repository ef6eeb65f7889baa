package render

import (
	"fmt"
	"strings"

	"renke/report"
)

// settingChecks are the report's checks of its settings (nil: not checked).
func settingChecks(in *report.Published) []report.SettingCheck {
	if in.Report == nil || in.Report.Verification == nil {
		return nil
	}
	return in.Report.Verification.Settings
}

// settingWarnings warn, before the numbers, of every setting whose stored
// value is not the one the audit chain recorded.
func settingWarnings(in *report.Published) []string {
	var w []string
	for _, c := range settingChecks(in) {
		if c.Changed {
			w = append(w, fmt.Sprintf("%s与审计日志第 %d 条记录的不一致（现存哈希 %s，审计日志记录 %s）：它在最近一次经本系统的修改之后被直接改动过。"+
				"本报告按现存的%s计算，数字不可信，须先查明原因。", c.Label, c.AuditSeq, c.Hash, c.Recorded, c.Label))
		}
	}
	return w
}

// settingsText states the hash of every setting the numbers were computed
// from and whether the audit chain recorded it ("" when not checked).
func settingsText(in *report.Published) string {
	checks := settingChecks(in)
	if len(checks) == 0 {
		return ""
	}
	parts := make([]string, 0, len(checks))
	for _, c := range checks {
		state := "与审计日志第 " + fmt.Sprint(c.AuditSeq) + " 条记录一致"
		switch {
		case c.Changed:
			state = "与审计日志第 " + fmt.Sprint(c.AuditSeq) + " 条记录不一致"
		case c.Recorded == "":
			state = "审计日志中没有其哈希记录"
		}
		parts = append(parts, fmt.Sprintf("%s %s（%s）", c.Label, c.Hash, state))
	}
	return "计算所依据的设置及其 SHA-256 哈希：" + strings.Join(parts, "；") +
		"。每次经本系统修改这些设置，审计日志都记录修改后的哈希；生成报告前逐项核对，不一致即说明设置被绕过本系统改动。"
}
