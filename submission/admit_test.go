package submission_test

import (
	"context"
	"testing"

	"renke/internal/testenv"
	"renke/submission"
)

// TestInvalidSheetsSpendBudgetsAndMarksRefuse: answers are checked before
// Redis is asked, yet an invalid sheet still spends the address's budget;
// a device that answered is refused on Redis's mark, with its quota place
// not taken.
func TestInvalidSheetsSpendBudgetsAndMarksRefuse(t *testing.T) {
	e := newEnv(t, testenv.KV(t), submission.Limits{PerAddr: 3, PerCode: 100, PerSurvey: 100})
	ctx := context.Background()
	code := e.shared(10)
	for i := range 2 {
		req := e.request(code)
		req.Sub.Answers = map[string]string{}
		if o := e.p.Submit(ctx, req); o.Kind != submission.Invalid {
			t.Fatalf("invalid sheet %d: %+v, want invalid", i+1, o)
		}
	}
	req := e.request(code)
	if o := e.p.Submit(ctx, req); o.Kind != submission.Created {
		t.Fatalf("valid sheet after two invalid ones: %+v", o)
	}
	again := e.request(code)
	again.Device = req.Device
	if o := e.p.Submit(ctx, again); o.Kind != submission.TooMany {
		t.Fatalf("fourth sheet from the address: %+v, want too many (the invalid ones counted)", o)
	}

	other := newEnvOn(t, e, e.kv) // a replica with room to submit
	again = e.request(code)
	again.Device = req.Device
	if o := other.Submit(ctx, again); o.Kind != submission.Conflict {
		t.Fatalf("the same device again: %+v, want conflict", o)
	}
	if n, err := e.kv.QuotaUsed(ctx, e.sv.ID, code.Code); err != nil || n != 1 {
		t.Fatalf("quota counter %d (%v), want 1: the refused device took no place", n, err)
	}
}
