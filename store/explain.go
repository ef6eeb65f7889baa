package store

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// QueryPlan is how the store answers one of renke's hot queries, from the
// server's own explain output.
type QueryPlan struct {
	Name       string // what the query is for
	PerCall    string // how often renke runs it
	Collection string // the collection asked: a survey's responses are in their own (responses_<survey id>)
	Indexed    bool   // the server finds the documents through an index, not a scan of the collection
	Plan       string // the server's words: MongoDB's plan stages and index, or FerretDB's pushdown and SQLite plan
}

// hotQuery is one query renke runs on a busy path, as an explain command.
type hotQuery struct {
	name, perCall string
	cmd           bson.D
}

// hotQueries lists the queries of the submission path, the quota counters and
// the progress and report pages, with the survey and code they are asked about.
func hotQueries(surveyID, code, responseID string) []hotQuery {
	responses := responseColName(surveyID) // the survey's own collection: no filter on the survey
	all := bson.D{}
	return []hotQuery{
		{"access code by id", "every page view and submission",
			bson.D{{Key: "find", Value: colCodes}, {Key: "filter", Value: bson.D{{Key: "_id", Value: code}}}, {Key: "limit", Value: 1}}},
		{"response by id (a retried submission)", "a refused insert",
			bson.D{{Key: "find", Value: responses}, {Key: "filter", Value: bson.D{{Key: "_id", Value: responseID}}}, {Key: "limit", Value: 1}}},
		{"response by once key (code or device already used)", "a refused insert",
			bson.D{{Key: "find", Value: responses}, {Key: "filter", Value: bson.D{{Key: "once_key", Value: "d:" + surveyID + ":x"}}}, {Key: "limit", Value: 1}}},
		{"chain head hint", "a process's first submission to a survey; a lost race between replicas",
			bson.D{{Key: "find", Value: colChainHeads}, {Key: "filter", Value: bson.D{{Key: "_id", Value: surveyID}}}, {Key: "limit", Value: 1}}},
		{"chain head from the responses", "a survey without a hint; a hint refused three times in a row",
			bson.D{{Key: "find", Value: responses}, {Key: "filter", Value: all},
				{Key: "sort", Value: bson.D{{Key: "seq", Value: -1}}}, {Key: "limit", Value: 1}}},
		{"responses per code (quota counters, codes page)", "a survey's first submissions after Redis starts; Redis outages; the codes page",
			bson.D{{Key: "aggregate", Value: responses}, {Key: "pipeline", Value: bson.A{
				bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$code"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
			}}, {Key: "cursor", Value: bson.D{}}}},
		{"responses in chain order (report, progress, verify, export)", "a report's first build; each export; progress at most every 10 s per survey",
			bson.D{{Key: "find", Value: responses}, {Key: "filter", Value: all}}},
		{"responses after a seq (report from a cached prefix)", "each later report build of a survey, within the cache's lifetime",
			bson.D{{Key: "find", Value: responses}, {Key: "filter", Value: bson.D{{Key: "seq", Value: bson.D{{Key: "$gt", Value: 1000}}}}}}},
		{"audit chain head", "a process's first audit entry; a lost race between replicas",
			bson.D{{Key: "find", Value: colAudit}, {Key: "filter", Value: bson.D{{Key: "seq", Value: bson.D{{Key: "$gt", Value: 0}}}}},
				{Key: "sort", Value: bson.D{{Key: "seq", Value: -1}}}, {Key: "limit", Value: 1}}},
	}
}

// ExplainHotQueries asks the server how it runs each hot query for one
// survey and code (explain, verbosity queryPlanner; nothing is executed).
func (s *Store) ExplainHotQueries(ctx context.Context, surveyID, code string) ([]QueryPlan, error) {
	var out []QueryPlan
	for _, q := range hotQueries(surveyID, code, "explain-probe") {
		var res bson.M
		err := s.db.RunCommand(ctx, bson.D{{Key: "explain", Value: q.cmd}, {Key: "verbosity", Value: "queryPlanner"}}).Decode(&res)
		if err != nil {
			return nil, fmt.Errorf("explain %s: %w", q.name, classify(err))
		}
		p := readPlan(res)
		p.Name, p.PerCall = q.name, q.perCall
		p.Collection, _ = q.cmd[0].Value.(string)
		out = append(out, p)
	}
	return out, nil
}

// readPlan reads an explain result of MongoDB (plan stages) or FerretDB
// (pushdown flags and the SQLite query plan).
func readPlan(res bson.M) QueryPlan {
	var stages, indexes, sqlite []string
	walkPlan(res, func(key string, v any) {
		s, ok := v.(string)
		switch {
		case key == "stage" && ok:
			stages = append(stages, s)
		case key == "indexName" && ok:
			indexes = append(indexes, s)
		case key == "Plan": // FerretDB: SQLite's EXPLAIN QUERY PLAN rows
			if rows, ok := v.(bson.A); ok {
				for _, x := range rows {
					if t, ok := x.(string); ok {
						sqlite = append(sqlite, t)
					}
				}
			}
		}
	})
	sort.Strings(sqlite)
	if len(stages) > 0 { // MongoDB
		p := QueryPlan{Plan: strings.Join(stages, " → ")}
		if len(indexes) > 0 {
			p.Plan += " (index " + strings.Join(indexes, ", ") + ")"
		}
		p.Indexed = !strings.Contains(p.Plan, "COLLSCAN")
		return p
	}
	filter, _ := res["filterPushdown"].(bool)
	sorted, _ := res["sortPushdown"].(bool)
	plan := strings.Join(sqlite, "; ")
	p := QueryPlan{Plan: fmt.Sprintf("filterPushdown %v, sortPushdown %v, SQLite: %s", filter, sorted, plan)}
	// FerretDB v1 pushes only _id equality down to SQLite; SQLite then says
	// SEARCH … USING INDEX when an index serves it and SCAN when it reads every row.
	p.Indexed = filter && strings.Contains(plan, "SEARCH") && strings.Contains(plan, "USING")
	return p
}

// walkPlan calls fn for every key of a nested explain document, keys in
// sorted order, so that a plan's stages come innermost first ("inputStage"
// sorts before "stage") whatever type the document decoded to.
func walkPlan(v any, fn func(key string, v any)) {
	switch x := v.(type) {
	case bson.M:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fn(k, x[k])
			walkPlan(x[k], fn)
		}
	case bson.D:
		m := make(bson.M, len(x))
		for _, e := range x {
			m[e.Key] = e.Value
		}
		walkPlan(m, fn)
	case bson.A:
		for _, e := range x {
			walkPlan(e, fn)
		}
	}
}
