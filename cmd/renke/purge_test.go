package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/account"
	"renke/evidence/retention"
	"renke/store"
	"renke/survey"
)

// TestPurgeKeepsTheChain: renke purge refuses an open survey; on a closed one
// it leaves no device id, address hash or user agent, keeps the answers, is
// audited, and verify still passes (and still catches an edited answer).
func TestPurgeKeepsTheChain(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	e := openData(t, data)
	sv := seedSurvey(t, e.store, "北川县", 25, nil)
	personal := bson.M{"survey_id": sv.ID, "$or": bson.A{
		bson.M{"device_id": bson.M{"$exists": true}}, bson.M{"addr_hash": bson.M{"$ne": ""}}, bson.M{"ua_family": bson.M{"$ne": ""}}}}
	if n, err := e.store.ResponsesOf(sv.ID).CountDocuments(ctx, personal); err != nil || n != 25 {
		t.Fatalf("responses with personal fields before: %d %v", n, err)
	}
	e.close()
	if err := runPurge(ctx, []string{"--data", data, "--survey", sv.ID}); !errors.Is(err, retention.ErrNotEnded) {
		t.Fatalf("purge of an open survey: %v", err)
	}
	e = openData(t, data)
	from := sv.Status
	sv.Status, sv.Updated = survey.Closed, time.Now()
	if err := e.store.UpdateSurvey(ctx, sv, from); err != nil {
		t.Fatal(err)
	}
	e.close()
	if err := runPurge(ctx, []string{"--data", data, "--survey", sv.ID}); err != nil {
		t.Fatal(err)
	}
	e = openData(t, data)
	if n, err := e.store.ResponsesOf(sv.ID).CountDocuments(ctx, personal); err != nil || n != 0 {
		t.Fatalf("responses with personal fields after the purge: %d %v", n, err)
	}
	if err := e.store.EachResponse(ctx, sv.ID, func(r *survey.Response) error {
		if len(r.Answers) == 0 || r.Format != survey.FormatV2 || r.DeviceID != "" {
			t.Errorf("response %s after the purge: %+v", r.ID, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if key, err := e.store.CommitKey(ctx, sv.ID, false); err != nil || key != nil {
		t.Fatalf("commitment key after the purge: %v %v", key, err)
	}
	entries, err := e.store.Audit(ctx, store.AuditFilter{Survey: sv.ID}, 10)
	if err != nil || len(entries) == 0 || entries[0].Action != account.ActPurge {
		t.Fatalf("purge not audited: %+v %v", entries, err)
	}
	if _, err := e.store.ResponsesOf(sv.ID).UpdateOne(ctx, bson.M{"survey_id": sv.ID, "seq": 3},
		bson.M{"$set": bson.M{"answers.zz": "4"}}); err != nil {
		t.Fatal(err)
	}
	e.close()
	expectBreak(t, "edit after a purge", []string{"--data", data, "--survey", sv.ID}, "seq 3 (response", "content changed")
}
