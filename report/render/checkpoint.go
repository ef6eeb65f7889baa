package render

import (
	"fmt"

	"renke/report"
)

// checkpointText states the report's signed checkpoint of the response
// chain: the key's fingerprint and the head, which an evaluator keeps with
// the filed report to check the stored chain against later ("" without one).
func checkpointText(in *report.Published) string {
	if in.Report == nil || in.Report.Checkpoint == nil {
		return ""
	}
	c := in.Report.Checkpoint
	return fmt.Sprintf("签名检查点：生成本报告时，系统用服务器的签名密钥（指纹 %s）签署了本调查应答链第 %d 条的链头 %s（%s）。"+
		"请将密钥指纹和链头随报告一并保存。日后把 JSON 格式报告中的 checkpoint 一项存为文件，运行 renke verify --survey %s --checkpoint 文件，"+
		"即可确认数据库中的应答链仍然延续这一链头：此前的任何应答被删除、改动、整段重算哈希，或链尾被截短，都会被指出。",
		c.Key, c.Seq, c.Head, timeText(c.At), c.Chain)
}
