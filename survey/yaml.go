package survey

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxQuestionnaireYAML bounds the size of an imported questionnaire file.
const MaxQuestionnaireYAML = 256 << 10

// ParseQuestionnaireYAML reads and validates a questionnaire; every error
// names its line. The version defaults to 1. It is checked against the
// default scoring scheme; ValidateQuestionnaire checks it against another.
func ParseQuestionnaireYAML(b []byte) (Questionnaire, error) {
	if len(b) > MaxQuestionnaireYAML {
		return Questionnaire{}, fmt.Errorf("问卷文件过大（%d 字节，最多 %d）", len(b), MaxQuestionnaireYAML)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return Questionnaire{}, fmt.Errorf("YAML 格式错误：%s", translateYAMLError(err))
	}
	if len(root.Content) == 0 {
		return Questionnaire{}, errors.New("问卷文件为空")
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return Questionnaire{}, &ItemError{Line: doc.Line, Msg: "问卷文件应是一个映射（kind、version、title、intro、labels、items）"}
	}
	var q Questionnaire
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&q); err != nil {
		return Questionnaire{}, fmt.Errorf("问卷格式错误：%s", translateYAMLError(err))
	}
	ln := &itemLines{doc: doc.Line, kind: doc.Line, version: doc.Line, items: doc.Line, labels: doc.Line}
	versionSet := false
	for i := 0; i+1 < len(doc.Content); i += 2 {
		key, val := doc.Content[i], doc.Content[i+1]
		switch key.Value {
		case "kind":
			ln.kind = key.Line
		case "version":
			ln.version, versionSet = key.Line, true
		case "labels":
			ln.labels = key.Line
		case "items":
			ln.items = key.Line
			for _, item := range val.Content {
				ln.id = append(ln.id, fieldLine(item, "id"))
				ln.text = append(ln.text, fieldLine(item, "text"))
				ln.dim = append(ln.dim, fieldLine(item, "dimension"))
			}
		}
	}
	if !versionSet {
		q.Version = 1
	}
	for i := range q.Items {
		q.Items[i].ID = strings.TrimSpace(q.Items[i].ID)
		q.Items[i].Text = strings.TrimSpace(q.Items[i].Text)
		q.Items[i].Dimension = strings.TrimSpace(q.Items[i].Dimension)
	}
	q.Title, q.Intro, q.Privacy = strings.TrimSpace(q.Title), strings.TrimSpace(q.Intro), strings.TrimSpace(q.Privacy)
	if err := validateQuestionnaire(q, DefaultScheme(), ln); err != nil {
		return Questionnaire{}, err
	}
	return q, nil
}

// fieldLine is the line of a mapping's field, or of the mapping when absent.
func fieldLine(m *yaml.Node, field string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == field {
			return m.Content[i].Line
		}
	}
	return m.Line
}

var (
	yamlLinePrefix   = regexp.MustCompile(`(?m)(?:yaml: )?line (\d+): `)
	yamlUnknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
	yamlCannotDecode = regexp.MustCompile("cannot unmarshal !!(\\w+) `([^`]*)` into (\\S+)")
	yamlDuplicateKey = regexp.MustCompile(`mapping key "([^"]*)" already defined at line (\d+)`)
	goTypeNames      = strings.NewReplacer("应为 int）", "应为整数）", "应为 string）", "应为文本）",
		"应为 survey.FormKind）", "应为文本）", "应为 []survey.Item）", "应为题目列表）",
		"应为 map[string]string）", "应为选项代码到文字的映射）", "应为 survey.Item）", "应为题目）")
)

// translateYAMLError rewords yaml.v3's English errors for coordinators:
// "line 5: field titel not found in type survey.Questionnaire" becomes
// "第 5 行：未知字段 titel".
func translateYAMLError(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: unmarshal errors:\n")
	msg = yamlUnknownField.ReplaceAllString(msg, "未知字段 $1")
	msg = goTypeNames.Replace(yamlCannotDecode.ReplaceAllString(msg, "值“$2”的类型不对（应为 $3）"))
	msg = yamlDuplicateKey.ReplaceAllString(msg, "字段“$1”重复（第 $2 行已有）")
	msg = yamlLinePrefix.ReplaceAllString(msg, "第 $1 行：")
	lines := strings.Split(msg, "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, "；")
}

// YAML encodes the questionnaire for export; ParseQuestionnaireYAML reads it back.
func (q Questionnaire) YAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(q); err != nil {
		return nil, fmt.Errorf("encode questionnaire %s v%d: %w", q.Kind, q.Version, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode questionnaire %s v%d: %w", q.Kind, q.Version, err)
	}
	return buf.Bytes(), nil
}
