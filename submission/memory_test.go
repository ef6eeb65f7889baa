package submission_test

import (
	"context"
	"fmt"
	"testing"

	"renke/embedded"
	"renke/kv"
	"renke/submission"
	"renke/survey"
)

// TestInProcessRedisEmptiesWhenTheSurveyEnds: what a round leaves in the
// in-process Redis (marks, quota counters, budgets) goes when its survey
// closes, so the embedded default's memory is bounded by open surveys.
func TestInProcessRedisEmptiesWhenTheSurveyEnds(t *testing.T) {
	srv, err := embedded.Start(t.TempDir(), embedded.Want{Redis: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	k, err := kv.Open(context.Background(), srv.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	e := newEnv(t, k, roomy)
	ctx := context.Background()
	var shared []survey.Code
	for i := 0; i < 4; i++ {
		shared = append(shared, e.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, Quota: 1000,
			School: survey.School{Code: fmt.Sprintf("43010000%02d", i), Name: "学校", Township: "城关镇", Urbanicity: survey.Urban}})[0])
	}
	codes := e.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Principal, Count: 20,
		School: survey.School{Code: "4301000099", Name: "学校", Township: "城关镇", Urbanicity: survey.Urban}})
	for i := 0; i < 180; i++ {
		codes = append(codes, shared[i%len(shared)])
	}
	for i, c := range codes {
		if o := e.p.Submit(ctx, e.request(c)); o.Kind != submission.Created {
			t.Fatalf("submission %d: %+v", i, o)
		}
	}
	during, err := k.Redis().DBSize(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.p.EndSurvey(ctx, e.sv.ID); err != nil {
		t.Fatal(err)
	}
	after, err := k.Redis().DBSize(ctx).Result()
	if err != nil {
		t.Fatal(err)
	}
	// One key may stay: the address's own budget, which is not the survey's
	// and ends with its minute.
	if after > 1 {
		t.Fatalf("%d keys left in the in-process redis after the survey ended (%d during)", after, during)
	}
	if during < 5 {
		t.Fatalf("only %d keys during the round: the test saw nothing to drop", during)
	}
}
