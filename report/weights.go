package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"renke/survey"
)

// ParseGroupWeights reads group weights written as "parent=0.5,student=0.1".
// An empty string means the defaults (nil). Weights are numbers ≥ 0, at least
// one positive; they need not sum to 1 (they are normalised).
func ParseGroupWeights(s string) (map[survey.Group]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	w := map[survey.Group]float64{}
	var sum float64
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return nil, fmt.Errorf("组权重“%s”应写成 组=权重，如 parent=0.5", part)
		}
		g, err := survey.ParseGroup(strings.TrimSpace(k))
		if err != nil {
			return nil, fmt.Errorf("组权重：%w", err)
		}
		if _, dup := w[g]; dup {
			return nil, fmt.Errorf("组权重：%s 出现了两次", g)
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || !(x >= 0) || x > 1e9 {
			return nil, fmt.Errorf("组权重：%s 的权重“%s”应为不小于 0 的数", g, v)
		}
		w[g] = x
		sum += x
	}
	if sum == 0 {
		return nil, errors.New("组权重：所有权重都是 0")
	}
	return w, nil
}

// maxDupsShown bounds the repeated response ids an error names.
const maxDupsShown = 10

// EstimateReplication reads a replication file and estimates the overall and
// group rates with the weights written in it; excluded rows and rows without
// y are counted only. With explicit group weights (non-nil), every group with
// valid rows must have one (0 leaves it out on purpose). A response id that
// repeats is refused, naming the lines; PSU labels are taken as labels, as
// R's svydesign does (rows sharing a label share a PSU, whatever ids they have).
func EstimateReplication(ctx context.Context, r io.Reader, groupWeights map[survey.Group]float64, bar float64) (*Summary, error) {
	rr, err := NewReplicationReader(r)
	if err != nil {
		return nil, err
	}
	e, err := NewEstimator(Config{GroupWeights: groupWeights, PrecomputedWeights: true, Bar: bar})
	if err != nil {
		return nil, err
	}
	var seen [7]bool
	lines := map[string]int{} // response id → its line
	var dups []string
	for n := 0; ; n++ {
		if n%8192 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		row, err := rr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := rr.r.FieldPos(0)
		if first, dup := lines[row.ResponseID]; dup {
			dups = append(dups, fmt.Sprintf("“%s”（第 %d 行与第 %d 行）", row.ResponseID, first, line))
			continue
		}
		lines[row.ResponseID] = line
		if len(dups) > 0 {
			continue // only look for more repeats: the estimate is refused
		}
		u := row.Unit()
		if err := e.Add(u); err != nil {
			return nil, &CSVError{Line: line, Msg: err.Error()}
		}
		if u.Valid() {
			seen[groupIndex(u.Group)] = true
		}
	}
	if len(dups) > 0 {
		shown := dups[:min(len(dups), maxDupsShown)]
		more := ""
		if len(dups) > len(shown) {
			more = fmt.Sprintf(" 等 %d 处", len(dups))
		}
		return nil, fmt.Errorf("应答编号 response_id 重复，每份应答只能出现一次：%s%s", strings.Join(shown, "；"), more)
	}
	if groupWeights != nil {
		for i, g := range survey.Groups {
			if _, ok := groupWeights[g]; seen[i] && !ok {
				return nil, fmt.Errorf("%s（%s）有有效应答，但组权重中没有它（要排除它请写 %s=0）", g.Label(), g, g)
			}
		}
	}
	return e.Summary()
}
