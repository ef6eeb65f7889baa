package survey

import (
	"bytes"
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// ParseQuestionnaireYAML reads and validates a questionnaire; every error
// names its line. Options are checked against the default scoring scheme.
func ParseQuestionnaireYAML(b []byte) (Questionnaire, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return Questionnaire{}, fmt.Errorf("YAML 格式错误：%w", err)
	}
	if len(root.Content) == 0 {
		return Questionnaire{}, errors.New("问卷文件为空")
	}
	doc := root.Content[0]
	var q Questionnaire
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&q); err != nil {
		return Questionnaire{}, fmt.Errorf("问卷格式错误：%w", err)
	}
	if q.Version == 0 {
		q.Version = 1
	}
	ln := &itemLines{kind: doc.Line, items: doc.Line, labels: doc.Line}
	if doc.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(doc.Content); i += 2 {
			key, val := doc.Content[i], doc.Content[i+1]
			switch key.Value {
			case "kind":
				ln.kind = key.Line
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
	}
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

// YAML encodes the questionnaire for export.
func (q Questionnaire) YAML() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(q); err != nil {
		return nil, fmt.Errorf("encode questionnaire: %w", err)
	}
	return buf.Bytes(), nil
}
