package submission_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/kv"
	"renke/loadtest"
	"renke/store"
	"renke/submission"
	"renke/survey"
)

// storeLookup looks codes and surveys up in the store directly.
type storeLookup struct{ st *store.Store }

func (l storeLookup) Code(ctx context.Context, token string) (*survey.Code, error) {
	return l.st.Code(ctx, token)
}

func (l storeLookup) Survey(ctx context.Context, id string) (*survey.Survey, error) {
	return l.st.Survey(ctx, id)
}

// env is a store with one open survey, and the protocol over it.
type env struct {
	t   *testing.T
	st  *store.Store
	kv  *kv.Client
	sv  *survey.Survey
	p   *submission.Protocol
	rng *rand.Rand
	n   int
}

var roomy = submission.Limits{PerAddr: 1 << 20, PerCode: 1 << 20, PerSurvey: 1 << 20}

func newEnv(t *testing.T, k *kv.Client, limits submission.Limits) *env {
	t.Helper()
	st := testenv.Store(t)
	now := time.Now()
	sv, err := survey.NewSurvey("测试县", "测试县社会认可度调查", now.Add(-time.Hour), now.Add(24*time.Hour), survey.DefaultForms())
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.Transition(survey.Open, now); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateSurvey(context.Background(), sv); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, st: st, kv: k, sv: sv, rng: rand.New(rand.NewPCG(1, 2))}
	e.p = e.protocol(limits)
	return e
}

// protocol is another protocol over the same store and Redis (a replica).
func (e *env) protocol(limits submission.Limits) *submission.Protocol {
	return submission.New(submission.Deps{KV: e.kv, Store: e.st, Lookup: storeLookup{e.st}, Limits: limits})
}

func (e *env) issue(sp survey.IssueSpec) []survey.Code {
	e.t.Helper()
	codes, err := sp.Issue(e.sv.ID, time.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.InsertCodes(context.Background(), codes); err != nil {
		e.t.Fatal(err)
	}
	return codes
}

func (e *env) shared(quota int) survey.Code {
	return e.issue(survey.IssueSpec{Kind: survey.SharedCode, Group: survey.Parent, Quota: quota,
		School: survey.School{Code: "4301000001", Name: "城关小学", Township: "城关镇", Urbanicity: survey.Urban}})[0]
}

// request is a valid submission on code from a new device.
func (e *env) request(code survey.Code) submission.Request {
	e.t.Helper()
	e.n++
	body := loadtest.Body(e.rng, e.sv.Forms[code.Group.Form()], code.Group, time.Now())
	sub, err := survey.ParseSubmission(body)
	if err != nil {
		e.t.Fatal(err)
	}
	dev := fmt.Sprintf("device-%d-%d", e.n, time.Now().UnixNano())
	return submission.Request{Token: code.Code, Sub: sub, AddrHash: "addr-1", UserAgent: "test",
		Device: func() string { return dev }}
}

// newEnvOn is a protocol over e's store with another Redis.
func newEnvOn(t *testing.T, e *env, k *kv.Client) *submission.Protocol {
	t.Helper()
	return submission.New(submission.Deps{KV: k, Store: e.st, Lookup: storeLookup{e.st}, Limits: roomy})
}
