package render

import (
	"fmt"

	"renke/account"
	"renke/hashchain"
)

// auditRow is one entry of the survey's audit trail as the report shows it.
type auditRow struct {
	Seq                                   int64 // its place in the audit chain
	At, Actor, Role, Action, Target, Note string
	Before, After                         string // JSON, as recorded
}

// auditChainView is the audit log's hash chain as the report states it.
type auditChainView struct {
	Checked bool   // the chain was verified when the report was built
	Status  string // what the verification found
	Head    string
	Error   string // the first entry that did not verify
	Verify  string // how to check it again
}

func newAuditChain(st hashchain.State) auditChainView {
	if st.Head == "" {
		return auditChainView{}
	}
	c := auditChainView{Checked: true, Head: st.Head,
		Verify: "在系统所在服务器上运行 renke verify --audit 可重新校验：程序逐条重算审计日志的哈希链，输出条数和链头。" +
			"链头与此处一致，即说明上列记录（“序号”为其在链中的位置）写入后没有被改动、删除或调换。"}
	if st.Err != nil {
		c.Error = st.Err.Error()
		c.Status = fmt.Sprintf("全系统审计日志的哈希链只校验到第 %d 条；其后的记录校验未通过，下列变更记录不可全信。校验通过部分的链头：", st.Length)
		return c
	}
	c.Status = fmt.Sprintf("全系统审计日志共 %d 条，写入时逐条链成哈希链（SHA-256），生成本报告时已从第一条起逐条校验通过。链头：", st.Length)
	return c
}

// newAudit lists the survey's audit trail, oldest first.
func newAudit(entries []account.Entry) []auditRow {
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		r := auditRow{Seq: e.Seq, At: timeText(e.At), Actor: e.Actor, Action: e.Action.Label(), Target: e.Target, Note: e.Note,
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
	if c := v.AuditChain; c.Checked {
		d.para(c.Status, 9.5, false, black)
		d.para(c.Head, 9.5, true, black)
		if c.Error != "" {
			d.para("校验未通过："+c.Error, 10, true, red)
		}
		d.para(c.Verify, 9.5, false, black)
	}
	if len(v.Audit) == 0 {
		d.para("没有变更记录。", 10, false, black)
		return
	}
	d.para(auditIntro, 9.5, false, black)
	t := pdfTable{cols: cols(5, []string{"序号与时间", "操作人", "操作", "对象与说明", "变更"}, 2.1, 1.6, 2, 1.6, 4.2)}
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
		t.add(false, fmt.Sprintf("第 %d 条\n%s", r.Seq, r.At), actor, r.Action, joinCN([]string{r.Target, r.Note}), change)
	}
	d.table(t)
}

func xlsxAudit(b *xlsxBook, v *view) {
	rows := make([][]any, 0, len(v.Audit))
	for _, r := range v.Audit {
		rows = append(rows, []any{r.Seq, r.At, r.Actor, r.Role, r.Action, r.Target, r.Note, r.Before, r.After})
	}
	if len(rows) == 0 {
		rows = append(rows, []any{"没有变更记录。"})
	}
	if c := v.AuditChain; c.Checked {
		rows = append(rows, []any{}, []any{c.Status + c.Head}, []any{c.Verify})
		if c.Error != "" {
			rows = append(rows, []any{"校验未通过：" + c.Error})
		}
	}
	b.sheet("变更记录", []xcol{{"序号", 0, 8}, {"时间", 0, 24}, {"操作人", 0, 12}, {"角色", 0, 10}, {"操作", 0, 16}, {"对象", 0, 18},
		{"说明", fmtWrap, 24}, {"变更前（JSON）", fmtWrap, 50}, {"变更后（JSON）", fmtWrap, 50}}, rows)
}
