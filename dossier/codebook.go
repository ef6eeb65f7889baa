package dossier

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"renke/report"
	"renke/survey"
)

// fixedVariables describe the replication file's leading columns.
var fixedVariables = [][2]string{
	{"response_id", "应答编号（与 responses.jsonl 的 id 相同）"},
	{"group", "调查对象组"},
	{"stratum", "设计分层：经学校抽取的组为“school|城乡类型”，其余组为“组|城乡类型”"},
	{"psu", "初级抽样单元：学校代码（学生、家长、教师），其余组为应答编号本身"},
	{"weight", "权重 w = N_c / n_c（抽样框总体数除以该加权单元的有效应答数；无抽样框时为 1）"},
	{"y", "应答者得分：计分题得分的平均值（0 到 1）；没有计分答案时为空"},
	{"excluded", "是否剔除（true/false）：数据质量规则或人工复核的最终决定"},
	{"flags", "触发的数据质量规则，以分号分隔"},
}

// rules are the values of flags.
var rules = []report.Rule{report.RuleSpeeder, report.RuleStraightLine, report.RuleRepeatDevice, report.RuleBurst}

// codebook is codebook.csv: one row per variable and value, in Chinese.
func codebook(sv *survey.Survey) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	recs := [][]string{{"变量", "含义", "取值", "取值含义"}}
	for _, v := range fixedVariables {
		recs = append(recs, []string{v[0], v[1], "", ""})
		switch v[0] {
		case "group":
			for _, g := range survey.Groups {
				recs = append(recs, []string{v[0], "", string(g), g.Label()})
			}
		case "excluded":
			recs = append(recs, []string{v[0], "", "true", "剔除，不计入认可度"}, []string{v[0], "", "false", "有效"})
		case "flags":
			for _, r := range rules {
				recs = append(recs, []string{v[0], "", string(r), r.Label()})
			}
		}
	}
	seen := map[string]bool{}
	for _, k := range survey.FormKinds {
		q, ok := sv.Forms[k]
		if !ok {
			continue
		}
		for _, it := range q.Items {
			if seen[it.ID] {
				continue
			}
			seen[it.ID] = true
			recs = append(recs, []string{it.ID, fmt.Sprintf("%s（%s，维度：%s）", it.Text, q.Title, it.Dimension), "", ""})
			for _, code := range survey.OptionCodes {
				label := q.OptionLabel(code)
				if s, ok := sv.Scheme.Score(code); ok {
					label = fmt.Sprintf("%s（计 %s 分）", label, num(s))
				} else {
					label += "（不计分，不进入分母）"
				}
				recs = append(recs, []string{it.ID, "", code, label})
			}
			recs = append(recs, []string{it.ID, "", "", "未作答"})
		}
	}
	if err := w.WriteAll(recs); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
