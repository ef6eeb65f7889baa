package httpx

import "github.com/gin-gonic/gin"

// flashes are the success messages a redirect may ask for with ?ok=.
var flashes = map[string]string{
	"purged":    "已清除本调查应答者的设备号、网络地址摘要和浏览器类型；答卷、权重和报告不受影响，哈希链仍可核验。",
	"county":    "区县已登记。",
	"assigned":  "已分配区县。",
	"created":   "调查已创建（草稿）。",
	"opened":    "调查已开放，现在可以作答。",
	"scheduled": "调查已开放，到开始时间后才可以作答。",
	"closed":    "调查已结束，不再接收答卷。",
	"weights":   "群体权重已保存。",
	"scheme":    "计分方案已保存。",
	"user":      "用户已保存。",
	"password":  "密码已修改，其他设备上的登录已失效。",
	"totp-on":   "两步验证已启用：下次登录时请填写验证器显示的 6 位数字。",
	"totp-off":  "两步验证已关闭。",
	"override":  "裁定已记录。",
	"rules":     "数据质量规则已保存，报告已按新规则重新计算。",
	"frame":     "抽样框已通过检查并保存。",
	"plan":      "样本已抽取，方案已保存。",
}

// Flash is the success message the request asks for with ?ok=, "" for none.
func Flash(c *gin.Context) string { return flashes[c.Query("ok")] }
