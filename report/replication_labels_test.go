package report

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// replicationFile writes a replication file of parent rows: id, psu, y.
func replicationFile(rows [][3]string) string {
	var b strings.Builder
	b.WriteString(strings.Join(ReplicationColumns, ",") + "\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,parent,school|城区,%s,10,%s,false,\n", r[0], r[1], r[2])
	}
	return b.String()
}

// TestReplicationPSULabels: a PSU label is a label, as in R. A row whose
// PSU is its own id shares that PSU with every other row that names it, so
// the estimate depends on which rows share a PSU, never on the labels.
func TestReplicationPSULabels(t *testing.T) {
	ys := []string{"1", "0", "1", "1", "0", "0.5", "1", "0"}
	with := func(psus ...string) *Summary {
		t.Helper()
		var rows [][3]string
		for i, p := range psus {
			rows = append(rows, [3]string{fmt.Sprintf("r%d", i+1), p, ys[i]})
		}
		s, err := EstimateReplication(context.Background(), strings.NewReader(replicationFile(rows)), nil, DefaultBar)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// r1 and r2 share PSU "r1" (r1's own id); r3 and r4 share "B"; the others are alone.
	own := with("r1", "r1", "B", "B", "r5", "r6", "r7", "r8")
	renamed := with("A", "A", "B", "B", "C", "D", "E", "F")
	apart := with("r1", "r2", "B", "B", "r5", "r6", "r7", "r8")
	if own.Overall.Rate != renamed.Overall.Rate || math.Abs(own.Overall.SE-renamed.Overall.SE) > 1e-15 || own.Overall.DF != renamed.Overall.DF {
		t.Errorf("labels changed the estimate: %+v vs %+v", own.Overall.Estimate, renamed.Overall.Estimate)
	}
	// R: svymean(~y, svydesign(ids=~psu, strata=~st, weights=~w, nest=TRUE))
	// on these eight rows gives 0.5625, SE 0.1737117763710912, degf 5.
	if math.Abs(own.Overall.Rate-0.5625) > 1e-15 || math.Abs(own.Overall.SE-0.1737117763710912) > 1e-12 {
		t.Errorf("estimate %v (SE %v), R gives 0.5625 (SE 0.1737117763710912)", own.Overall.Rate, own.Overall.SE)
	}
	if own.Overall.DF != 5 || apart.Overall.DF != 6 || own.Overall.SE == apart.Overall.SE {
		t.Errorf("r2 naming r1's PSU is not taken as sharing it: df %d and %d, se %v and %v",
			own.Overall.DF, apart.Overall.DF, own.Overall.SE, apart.Overall.SE)
	}
}

// TestReplicationDuplicateIDs: a response id that repeats is refused, and the
// error names the lines of each repeat.
func TestReplicationDuplicateIDs(t *testing.T) {
	file := replicationFile([][3]string{{"a", "P1", "1"}, {"b", "P1", "0"}, {"a", "P2", "1"}, {"c", "P2", "1"}, {"b", "P3", "1"}})
	_, err := EstimateReplication(context.Background(), strings.NewReader(file), nil, DefaultBar)
	if err == nil {
		t.Fatal("a file with repeated response ids was estimated")
	}
	for _, want := range []string{"response_id 重复", "“a”（第 2 行与第 4 行）", "“b”（第 3 行与第 6 行）"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	var rows [][3]string
	for i := range 30 {
		rows = append(rows, [3]string{"same", fmt.Sprint("P", i), "1"})
	}
	_, err = EstimateReplication(context.Background(), strings.NewReader(replicationFile(rows)), nil, DefaultBar)
	if err == nil || strings.Count(err.Error(), "“same”") != maxDupsShown || !strings.Contains(err.Error(), "等 29 处") {
		t.Errorf("29 repeats: %v", err)
	}
}
