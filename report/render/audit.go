package render

import "renke/account"

// auditRow is one entry of the survey's audit trail as the report shows it.
type auditRow struct {
	At, Actor, Role, Action, Target, Note string
	Before, After                         string // JSON, as recorded
}

// newAudit lists the survey's audit trail, oldest first.
func newAudit(entries []account.Entry) []auditRow {
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		r := auditRow{At: timeText(e.At), Actor: e.Actor, Action: e.Action.Label(), Target: e.Target, Note: e.Note,
			Before: e.Before, After: e.After}
		if e.Role != "" {
			r.Role = e.Role.Label()
		}
		if r.Actor == "" {
			r.Actor = "（系统）"
		}
		out = append(out, r)
	}
	return out
}

// auditIntro says what the trail holds.
const auditIntro = "本调查的每一项变更（开放与结束、群体权重与计分方案、抽样框与抽样、发放访问码、数据质量规则、人工裁定）按时间先后列出，" +
	"含操作人和变更前后的内容。原始答卷从不修改；答卷本身的完整性见哈希链一节。"

// pdfClip shortens recorded JSON for a PDF table cell; the workbook and the
// HTML file carry it whole.
func pdfClip(s string) string {
	const max = 160
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "…（全文见 Excel 版“变更记录”表）"
}

func pdfAudit(d *pdfDoc, v *view) {
	d.heading(v.Sections["audit"], 14)
	if len(v.Audit) == 0 {
		d.para("没有变更记录。", 10, false, black)
		return
	}
	d.para(auditIntro, 9.5, false, black)
	t := pdfTable{cols: cols(5, []string{"时间", "操作人", "操作", "对象与说明", "变更"}, 2.1, 1.6, 2, 1.6, 4.2)}
	for _, r := range v.Audit {
		actor := r.Actor
		if r.Role != "" {
			actor += "（" + r.Role + "）"
		}
		change := ""
		if r.Before != "" {
			change = "前：" + pdfClip(r.Before)
		}
		if r.After != "" {
			if change != "" {
				change += "\n"
			}
			change += "后：" + pdfClip(r.After)
		}
		t.add(false, r.At, actor, r.Action, joinCN([]string{r.Target, r.Note}), change)
	}
	d.table(t)
}

func xlsxAudit(b *xlsxBook, v *view) {
	rows := make([][]any, 0, len(v.Audit))
	for _, r := range v.Audit {
		rows = append(rows, []any{r.At, r.Actor, r.Role, r.Action, r.Target, r.Note, r.Before, r.After})
	}
	if len(rows) == 0 {
		rows = append(rows, []any{"没有变更记录。"})
	}
	b.sheet("变更记录", []xcol{{"时间", 0, 24}, {"操作人", 0, 12}, {"角色", 0, 10}, {"操作", 0, 16}, {"对象", 0, 18},
		{"说明", fmtWrap, 24}, {"变更前（JSON）", fmtWrap, 50}, {"变更后（JSON）", fmtWrap, 50}}, rows)
}
