package submission_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/submission"
	"renke/survey"
)

func TestSubmitQuotaDevicesAndRetries(t *testing.T) {
	e := newEnv(t, testenv.KV(t), roomy)
	ctx := context.Background()
	code := e.shared(2)
	first := e.request(code)
	first.IdempotencyKey = "retry0123456789abcdef"
	if o := e.p.Submit(ctx, first); o.Kind != submission.Created || o.Resp.ID != first.IdempotencyKey {
		t.Fatalf("first submission: %+v", o)
	}
	if o := e.p.Submit(ctx, first); o.Kind != submission.Recorded {
		t.Fatalf("retry of a stored submission: %+v", o)
	}
	again := e.request(code)
	again.Device = first.Device
	if o := e.p.Submit(ctx, again); o.Kind != submission.Conflict || o.State == nil || o.State.Status != survey.CodeAnswered || o.Msg != o.State.Message {
		t.Fatalf("second answer from one device: %+v", o)
	}
	if o := e.p.Submit(ctx, e.request(code)); o.Kind != submission.Created {
		t.Fatalf("second device: %+v", o)
	}
	if o := e.p.Submit(ctx, e.request(code)); o.Kind != submission.Conflict || o.State == nil || o.State.Status != survey.CodeFull || o.Msg != o.State.Message {
		t.Fatalf("beyond the quota: %+v", o)
	}
}

// TestUnknownCodesCountAgainstTheAddress: guessing codes is limited like
// submitting (issue 17): the address's budget runs out, another's does not.
func TestUnknownCodesCountAgainstTheAddress(t *testing.T) {
	e := newEnv(t, testenv.KV(t), submission.Limits{PerAddr: 3, PerCode: 100, PerSurvey: 100})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if _, _, o := e.p.Resolve(ctx, "nosuchcode0000000000", "addr-guess"); o.Kind != submission.BadCode {
			t.Fatalf("lookup %d: %+v", i+1, o)
		}
	}
	if _, _, o := e.p.Resolve(ctx, "nosuchcode0000000001", "addr-guess"); o.Kind != submission.TooMany || o.Retry <= 0 {
		t.Fatalf("fourth unknown code from one address: %+v, want too many", o)
	}
	req := e.request(e.shared(10))
	req.Token, req.AddrHash = "short", "addr-guess"
	if o := e.p.Submit(ctx, req); o.Kind != submission.TooMany {
		t.Fatalf("a submission on a malformed code from that address: %+v, want too many", o)
	}
	if _, _, o := e.p.Resolve(ctx, "nosuchcode0000000002", "addr-other"); o.Kind != submission.BadCode {
		t.Fatalf("another address: %+v", o)
	}
}

// TestIdempotencyKeyCannotStartAFormula: keys that would start a formula in
// a spreadsheet are refused with a clear message and store nothing (issue 17).
func TestIdempotencyKeyCannotStartAFormula(t *testing.T) {
	e := newEnv(t, testenv.KV(t), roomy)
	ctx := context.Background()
	code := e.shared(100)
	for _, key := range []string{"-A1-A2-A3-A4-A5-A6", "_leading_underscore_", "=HYPERLINK(x)aaaaaaa", "+cmd|x!A0aaaaaaaaaa", "@SUM(1)aaaaaaaaaaaa", "\tabcdefghijklmnopq", "\rabcdefghijklmnopq", "short"} {
		req := e.request(code)
		req.IdempotencyKey = key
		if o := e.p.Submit(ctx, req); o.Kind != submission.BadRequest || o.Msg != submission.MsgBadIdemKey {
			t.Errorf("key %q: %+v, want refused", key, o)
		}
	}
	if n, err := e.st.CountOfCode(ctx, e.sv.ID, code.Code, time.Time{}); err != nil || n != 0 {
		t.Fatalf("stored %d (%v) after refused keys", n, err)
	}
}

// TestQuotaHoldsAcrossReplicas: two protocols (two servers) over one Redis and
// one store never exceed a quota together.
func TestQuotaHoldsAcrossReplicas(t *testing.T) {
	e := newEnv(t, testenv.KV(t), roomy)
	ps := []*submission.Protocol{e.p, e.protocol(roomy)}
	code := e.shared(10)
	reqs := make([]submission.Request, 30)
	for i := range reqs {
		reqs[i] = e.request(code)
	}
	counts := make([]submission.Kind, len(reqs))
	var wg sync.WaitGroup
	for i := range reqs {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			counts[i] = ps[i%2].Submit(context.Background(), reqs[i]).Kind
		}(i)
	}
	wg.Wait()
	created := 0
	for _, k := range counts {
		if k == submission.Created {
			created++
		} else if k != submission.Conflict {
			t.Fatalf("unexpected outcome kind %d", k)
		}
	}
	n, err := e.st.CountOfCode(context.Background(), e.sv.ID, code.Code, time.Time{})
	if err != nil || created != 10 || n != 10 {
		t.Fatalf("created %d, stored %d (%v); want 10 of quota 10", created, n, err)
	}
}

// TestQuotaWhileRedisIsAway: with Redis stopped, the protocol falls back to
// this process's limits and the store's quota places, and still keeps the quota.
func TestQuotaWhileRedisIsAway(t *testing.T) {
	r := testenv.OwnRedis(t)
	e := newEnv(t, testenv.KVAt(t, r.URL), roomy)
	ctx := context.Background()
	code := e.shared(3)
	if o := e.p.Submit(ctx, e.request(code)); o.Kind != submission.Created {
		t.Fatalf("with redis: %+v", o)
	}
	r.Stop()
	for i := 0; i < 2; i++ {
		if o := e.p.Submit(ctx, e.request(code)); o.Kind != submission.Created {
			t.Fatalf("without redis, place %d: %+v", i+2, o)
		}
	}
	if !e.p.FallbackActive() {
		t.Fatal("fallback not reported active with redis stopped")
	}
	if o := e.p.Submit(ctx, e.request(code)); o.Kind != submission.Conflict || o.State == nil || o.State.Status != survey.CodeFull || o.Msg != o.State.Message {
		t.Fatalf("beyond the quota without redis: %+v", o)
	}
}
