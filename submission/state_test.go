package submission_test

import (
	"context"
	"testing"

	"renke/internal/testenv"
	"renke/submission"
	"renke/survey"
)

// TestStateKnownAfterRedisForgets: after answers were taken, a fresh Redis
// (the in-process one after a restart) knows nothing, yet a used one-time
// code, a full shared code and a device that answered are told before any
// question, from the store.
func TestStateKnownAfterRedisForgets(t *testing.T) {
	e := newEnv(t, testenv.KV(t), roomy)
	ctx := context.Background()
	shared := e.shared(1)
	once := e.issue(survey.IssueSpec{Kind: survey.OneTimeCode, Group: survey.Deputy, Count: 1})[0]
	sreq, oreq := e.request(shared), e.request(once)
	for _, r := range []struct {
		name string
		code survey.Code
	}{{"shared", shared}, {"one-time", once}} {
		if st := e.p.State(ctx, e.sv, &r.code, ""); !st.Available() {
			t.Fatalf("%s code before any answer: %+v", r.name, st)
		}
	}
	if o := e.p.Submit(ctx, sreq); o.Kind != submission.Created {
		t.Fatalf("shared submission: %+v", o)
	}
	if o := e.p.Submit(ctx, oreq); o.Kind != submission.Created {
		t.Fatalf("one-time submission: %+v", o)
	}

	// A new Redis: nothing of the survey is known there.
	fresh := newEnvOn(t, e, testenv.KV(t))
	if st := fresh.State(ctx, e.sv, &once, ""); st.Status != survey.CodeUsed {
		t.Errorf("used one-time code: %+v", st)
	}
	if st := fresh.State(ctx, e.sv, &shared, ""); st.Status != survey.CodeFull {
		t.Errorf("full shared code: %+v", st)
	}
	bigger := e.shared(5)
	if st := fresh.State(ctx, e.sv, &bigger, sreq.Device()); st.Status != survey.CodeAnswered {
		t.Errorf("device that answered this survey: %+v", st)
	}
	if st := fresh.State(ctx, e.sv, &bigger, "another-device"); !st.Available() {
		t.Errorf("another device on a code with places left: %+v", st)
	}
}
