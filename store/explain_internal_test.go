package store

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestReadPlan(t *testing.T) {
	cases := []struct {
		name    string
		res     bson.M
		indexed bool
		plan    string
	}{
		{"mongodb index scan", bson.M{"queryPlanner": bson.M{"winningPlan": bson.M{"stage": "LIMIT",
			"inputStage": bson.M{"stage": "FETCH", "inputStage": bson.M{"stage": "IXSCAN", "indexName": "survey_seq"}}}}},
			true, "IXSCAN → FETCH → LIMIT (index survey_seq)"},
		{"mongodb aggregate over a collection scan", bson.M{"stages": bson.A{bson.M{"$cursor": bson.M{"queryPlanner": bson.M{
			"winningPlan": bson.M{"stage": "COLLSCAN"}}}}}}, false, "COLLSCAN"},
		{"ferretdb index search", bson.M{"filterPushdown": true, "sortPushdown": false,
			"queryPlanner": bson.M{"Plan": bson.A{"id=2 parent=0 notused=0 detail=SEARCH t USING INDEX t__id_ (<expr>=?)"}}},
			true, "filterPushdown true, sortPushdown false, SQLite: id=2 parent=0 notused=0 detail=SEARCH t USING INDEX t__id_ (<expr>=?)"},
		{"ferretdb table scan", bson.M{"filterPushdown": true, "sortPushdown": false,
			"queryPlanner": bson.M{"Plan": bson.A{"id=2 parent=0 notused=0 detail=SCAN t"}}},
			false, "filterPushdown true, sortPushdown false, SQLite: id=2 parent=0 notused=0 detail=SCAN t"},
		{"ferretdb filter in the handler", bson.M{"filterPushdown": false, "queryPlanner": bson.M{"Plan": bson.A{"detail=SCAN t"}}},
			false, "filterPushdown false, sortPushdown false, SQLite: detail=SCAN t"},
	}
	for _, c := range cases {
		p := readPlan(c.res)
		if p.Indexed != c.indexed || p.Plan != c.plan {
			t.Errorf("%s: got indexed=%v %q, want %v %q", c.name, p.Indexed, p.Plan, c.indexed, c.plan)
		}
	}
}
