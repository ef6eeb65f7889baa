package report

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// SettingField is one field of RuleSettings: its name (the JSON, form and
// command-line key), its Chinese label and its kind.
type SettingField struct {
	Key   string
	Label string
	// Kind is "bool", "int" or "number".
	Kind string
	// Stuffing marks the stuffing rules' fields (and the FDR).
	Stuffing bool
	index    int
}

// settingLabels are the fields' names in the messages people read.
var settingLabels = map[string]string{
	"speeder_enabled":          "答题过快规则的启用",
	"speeder_exclude":          "答题过快规则的剔除",
	"speeder_floor_seconds":    "答题过快的时间下限",
	"speeder_median_fraction":  "答题过快的中位数比例",
	"straightline_enabled":     "同一答案规则的启用",
	"straightline_exclude":     "同一答案规则的剔除",
	"straightline_min_items":   "同一答案规则的最少题数",
	"repeat_device_enabled":    "同一设备规则的启用",
	"repeat_device_exclude":    "同一设备规则的剔除",
	"burst_enabled":            "集中提交规则的启用",
	"burst_exclude":            "集中提交规则的剔除",
	"burst_max_per_window":     "集中提交的份数上限",
	"burst_window_minutes":     "集中提交的时间窗",
	"template_enabled":         "模板作答规则的启用",
	"template_exclude":         "模板作答规则的剔除",
	"template_min_cluster":     "模板作答的最小雷同份数",
	"proxy_enabled":            "代答规则的启用",
	"proxy_exclude":            "代答规则的剔除",
	"proxy_min_shared":         "代答的最少同址份数",
	"uniform_enabled":          "异常一致规则的启用",
	"uniform_exclude":          "异常一致规则的剔除",
	"uniform_min_responses":    "异常一致的最少应答数",
	"uniform_time_band":        "异常一致的用时带宽",
	"sequence_enabled":         "一次性码连续使用规则的启用",
	"sequence_exclude":         "一次性码连续使用规则的剔除",
	"sequence_min_run":         "一次性码连续使用的最短份数",
	"sequence_max_gap_minutes": "一次性码连续使用的最大间隔",
	"sequence_max_addresses":   "一次性码连续使用的最多地址数",
	"fdr":                      "错误发现率",
}

// settingFields is RuleSettings' fields in their order.
var settingFields = func() []SettingField {
	t := reflect.TypeFor[RuleSettings]()
	out := make([]SettingField, 0, t.NumField())
	stuffing := false
	for i := range t.NumField() {
		f := t.Field(i)
		key := strings.Split(f.Tag.Get("json"), ",")[0]
		if key == "template_enabled" {
			stuffing = true // the template rule and every field after it
		}
		kind := map[reflect.Kind]string{reflect.Bool: "bool", reflect.Int: "int", reflect.Float64: "number"}[f.Type.Kind()]
		label, ok := settingLabels[key]
		if !ok || kind == "" {
			panic("report: RuleSettings field without a label or kind: " + key)
		}
		out = append(out, SettingField{Key: key, Label: label, Kind: kind, Stuffing: stuffing, index: i})
	}
	return out
}()

// SettingFields lists RuleSettings' fields in order.
func SettingFields() []SettingField { return append([]SettingField(nil), settingFields...) }

// SettingLabel is the Chinese label of the field named key (key itself if none).
func SettingLabel(key string) string {
	if l, ok := settingLabels[key]; ok {
		return l
	}
	return key
}

func settingField(key string) (SettingField, bool) {
	for _, f := range settingFields {
		if f.Key == key {
			return f, true
		}
	}
	return SettingField{}, false
}

// Set sets the field named key from its text: true/false (or on/off, 1/0,
// 是/否) for a switch, a whole number or a number. The error names the field
// in Chinese.
func (in *RuleSettings) Set(key, value string) error {
	f, ok := settingField(strings.TrimSpace(key))
	if !ok {
		return fmt.Errorf("没有名为“%s”的数据质量规则设置", key)
	}
	v := reflect.ValueOf(in).Elem().Field(f.index)
	value = strings.TrimSpace(value)
	switch f.Kind {
	case "bool":
		switch strings.ToLower(value) {
		case "true", "on", "1", "yes", "是":
			v.SetBool(true)
		case "false", "off", "0", "no", "否", "":
			v.SetBool(false)
		default:
			return fmt.Errorf("%s应为 true 或 false", f.Label)
		}
	case "int":
		n, err := strconv.Atoi(value)
		if err != nil {
			return fmt.Errorf("%s应为整数", f.Label)
		}
		v.SetInt(int64(n))
	default:
		x, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return fmt.Errorf("%s应为数字", f.Label)
		}
		v.SetFloat(x)
	}
	return nil
}

// Get is the field named key as text, as Set reads it back.
func (in RuleSettings) Get(key string) (string, bool) {
	f, ok := settingField(key)
	if !ok {
		return "", false
	}
	v := reflect.ValueOf(in).Field(f.index)
	switch f.Kind {
	case "bool":
		return strconv.FormatBool(v.Bool()), true
	case "int":
		return strconv.FormatInt(v.Int(), 10), true
	}
	return strconv.FormatFloat(v.Float(), 'g', -1, 64), true
}

// DefaultStuffing sets the stuffing rules' fields to the defaults' (a form
// made before the stuffing rules, which has none of them).
func (in *RuleSettings) DefaultStuffing() {
	d := SettingsOf(DefaultQualityConfig())
	src, dst := reflect.ValueOf(d), reflect.ValueOf(in).Elem()
	for _, f := range settingFields {
		if f.Stuffing {
			dst.Field(f.index).Set(src.Field(f.index))
		}
	}
}
