package render

import (
	"fmt"
	"strings"
	"time"

	"renke/report"
	"renke/survey"
)

// section is a heading with paragraphs.
type section struct {
	Heading string
	Paras   []string
}

// chainView is the hash-chain section.
type chainView struct {
	Length  int64
	Head    string
	Error   string
	Verify  []string
	Matches bool // the chain length equals the number of responses read
}

// durText states a duration in minutes or seconds.
func durText(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%d 分钟", int(d/time.Minute))
	}
	return fmt.Sprintf("%g 秒", d.Seconds())
}

func newChain(in *report.Published) chainView {
	n, head := chainOf(in)
	c := chainView{Length: n, Head: head, Matches: n == int64(len(in.Responses))}
	if in.ChainError != nil {
		c.Error = in.ChainError.Error()
	}
	c.Verify = []string{
		fmt.Sprintf("在系统所在服务器上运行 renke verify --survey %s：程序逐条重算哈希链，输出应答条数和链头，应与上面的数字一致；如有不符，会逐一指出每一处不符（内容被改动、记录缺失、链尾被截短）。", in.Survey.ID),
		"也可以用导出的原始应答自行核对：从 64 个“0”开始，依次对每条应答计算 SHA-256(前一条的哈希 ‖ 该应答的规范 JSON)，结果写成小写十六进制，作为下一条的“前一条哈希”；最后一条的结果应等于链头。" +
			"规范 JSON 按固定顺序包含应答的全部字段（编号、调查、序号、访问码、问卷、群体、学校、乡镇、城乡、学段、各题答案、开始和提交时间（UTC，毫秒）、设备、地址散列、浏览器类型），不含哈希本身；格式 2 的记录（format 为 2）以这三项的带密钥承诺值（commit）代替它们本身，因此保存期满清除这三项后链仍可校验。",
		"原始应答写入后从不修改或删除；剔除是另行记录的裁定。只要链头一致，报告所依据的应答就与当时收到的完全相同。",
	}
	if cp := checkpointText(in); cp != "" {
		c.Verify = append([]string{cp}, c.Verify...)
	}
	if st := settingsText(in); st != "" {
		c.Verify = append(c.Verify, st)
	}
	return c
}

// method is the method page: design, scoring, weights, variance, quality rules.
// floorText names the sample-size floor when there is one.
func floorText(floor int) string {
	if floor <= 0 {
		return ""
	}
	return fmt.Sprintf("（不少于 %d 人）", floor)
}

func method(in *report.Published) []section {
	sv, p := in.Survey, in.Plan
	var out []section
	design := section{Heading: "抽样设计"}
	if p != nil {
		drawn := len(p.Schools)
		design.Paras = append(design.Paras,
			fmt.Sprintf("样本量按常住人口 %d 人的 %.2f‰ 确定为 %d 人%s。学生、家长和教师通过抽中的学校调查：各城乡层内的学校按乡镇和在校生数排序，以与在校生数成比例的系统抽样（PPS）从随机起点抽取，共抽中 %d 所学校，每校计划约 %d 人。校长、人大代表、政协委员和其他群众从全县名单中抽取。",
				p.Population, p.Rate*1000, p.Total, floorText(p.Floor), drawn, p.TakePerSchool),
			fmt.Sprintf("抽样随机种子为 %d：用同一抽样框和同一种子重新抽样，得到完全相同的样本，任何人都可以复核抽样没有被挑选。", p.Seed))
	} else {
		design.Paras = append(design.Paras, "本调查没有保存抽样方案（抽样框、样本量和随机种子），无法复核样本是如何抽取的。")
	}
	out = append(out, design)
	out = append(out, section{Heading: "计分", Paras: []string{
		"每题五个选项，各问卷用自己的选项文字，同一档计同样的分（" + survey.LevelsText(sv.Scheme) + "）。" + schemeText(sv) + "每位应答者的得分是其各计分题得分的平均数；一题也没有计分作答的应答计入应答数，但不参与认可度计算。题目和维度的认可度按同样方法只在相应题目上计算。",
	}})
	out = append(out, section{Heading: "加权与总体认可度", Paras: []string{
		"只有未被剔除且有得分的有效应答参与计算。每份有效应答属于一个加权单元（群体 × 城乡，学生和家长再按学段细分），权重 w = N_c / n_c：N_c 为抽样框中该单元的人数，n_c 为该单元的有效应答数；抽样框没有该单元人数时 w = 1。",
		"各群体认可度是加权平均数；总体认可度是各群体认可度按群体权重 W_g 的加权和（只在有应答的群体之间归一）：" + groupWeightText(sv.GroupWeights) + "。",
	}})
	variance := section{Heading: "抽样误差", Paras: []string{
		"方差用泰勒线性化方法估计，初级抽样单位（PSU）按有放回抽样处理：学生、家长、教师以其学校为 PSU（三个群体共用学校，因此它们的认可度相关，方差已计入这种相关），以学校的城乡类别为层；校长、人大代表、政协委员和其他群众每人是一个 PSU，按“群体 × 城乡”分层。",
		"自由度 df = PSU 数 − 层数。PSU 较少时正态分布会高估精度，因此置信区间和达标概率都用自由度为 df 的 t 分布：95% 区间为 估计值 ± t(0.975, df) × 标准误（截断在 0 到 100% 之间），达标概率为 T_df((估计值 − 85%) / 标准误)。只有一个 PSU 的层按其 PSU 总量的平方计入方差（与 R 语言 survey 包 survey.lonely.psu = \"adjust\" 相同）。",
	}}
	if r := in.Report; r != nil {
		lonely := "无"
		if len(r.Design.LonelyStrata) > 0 {
			lonely = strings.Join(r.Design.LonelyStrata, "、")
		}
		variance.Paras = append(variance.Paras, fmt.Sprintf("本次计算共有 PSU %d 个、层 %d 个，自由度 %d；只有一个 PSU 的层：%s。", r.Design.PSUs, r.Design.Strata, r.Design.DF, lonely))
	}
	variance.Paras = append(variance.Paras, "以上估计与 R 语言 survey 包（Lumley）svydesign / svyby / svycontrast 的结果一致；报告附带的复核数据（每份应答的层、PSU、权重和得分）可以直接在 R 中重算。学校的认可度另给未加权比例的 Wilson 区间，因为一所学校只是一个 PSU。")
	out = append(out, variance)
	if in.Quality != nil {
		q := section{Heading: "数据质量规则"}
		for _, r := range newQuality(in, nil).Rules {
			q.Paras = append(q.Paras, fmt.Sprintf("%s（%s）：%s。", r.Label, r.Action, r.Setting))
		}
		q.Paras = append(q.Paras, "评估人员可对单份应答作出剔除或恢复的裁定，裁定连同理由、操作人和时间单独记录，原始应答不作改动。")
		out = append(out, q)
		if in.Quality.Config.FDR > 0 {
			out = append(out, stuffingMethod(in.Quality.Config))
		}
	}
	return out
}

// schemeText says the scoring of each form in its own words.
func schemeText(sv *survey.Survey) string {
	var parts []string
	for _, f := range survey.Scoring(sv.Forms, sv.Scheme) {
		parts = append(parts, f.Title+"（"+f.GroupText+"）："+f.Text)
	}
	return strings.Join(parts, "；") + "。"
}

func groupWeightText(w map[survey.Group]float64) string {
	if len(w) == 0 {
		w = survey.DefaultGroupWeights()
	}
	total := 0.0
	for _, g := range survey.Groups { // a fixed order: the same sum every time
		total += w[g]
	}
	var parts []string
	for _, g := range survey.Groups {
		if x, ok := w[g]; ok && total > 0 {
			parts = append(parts, fmt.Sprintf("%s %.1f%%", g.Label(), x/total*100))
		}
	}
	return strings.Join(parts, "，")
}
