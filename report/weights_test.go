package report

import (
	"context"
	"os"
	"strings"
	"testing"

	"renke/survey"
)

func TestParseGroupWeights(t *testing.T) {
	w, err := ParseGroupWeights(" parent=0.5, student=0.25 ,teacher=0")
	if err != nil {
		t.Fatal(err)
	}
	if len(w) != 3 || w[survey.Parent] != 0.5 || w[survey.Student] != 0.25 || w[survey.Teacher] != 0 {
		t.Errorf("got %v", w)
	}
	if w, err := ParseGroupWeights(""); w != nil || err != nil {
		t.Errorf("empty: %v, %v", w, err)
	}
	for in, want := range map[string]string{
		"parent":                "组=权重",
		"parents=1":             "parents",
		"parent=1,parent=2":     "两次",
		"parent=-1":             "不小于 0",
		"parent=x":              "不小于 0",
		"parent=0,student=0":    "都是 0",
		"parent=NaN,student=1":  "不小于 0",
		"parent=1,student=1e99": "不小于 0",
	} {
		if _, err := ParseGroupWeights(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", in, err, want)
		}
	}
}

func TestEstimateReplication(t *testing.T) {
	run := func(w map[survey.Group]float64) (*Summary, error) {
		f, err := os.Open("testdata/replication.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		return EstimateReplication(context.Background(), f, w, 0.8)
	}
	s, err := run(nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Overall.Bar != 0.8 || len(s.Groups) != 6 {
		t.Errorf("summary %+v", s.Overall)
	}
	// Only parents weigh: the overall rate is the parents' rate.
	only := map[survey.Group]float64{survey.Parent: 1}
	for _, g := range survey.Groups {
		if g != survey.Parent {
			only[g] = 0
		}
	}
	p, err := run(only)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range p.Groups {
		if g.Group == survey.Parent && (g.Rate != p.Overall.Rate || g.SE != p.Overall.SE || g.GroupWeight != 1) {
			t.Errorf("parents %+v, overall %+v", g, p.Overall)
		}
	}
	if _, err := run(map[survey.Group]float64{survey.Parent: 1}); err == nil || !strings.Contains(err.Error(), "student=0") {
		t.Errorf("missing weights: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := EstimateReplication(ctx, strings.NewReader(strings.Join(ReplicationColumns, ",")+"\n"), nil, 0); err == nil {
		t.Error("cancelled context ignored")
	}
}
