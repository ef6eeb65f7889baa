package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

func newSurvey(id string) *survey.Survey {
	now := survey.TruncateTime(time.Now())
	return &survey.Survey{ID: id, County: "测试县", Title: "社会认可度调查", Status: survey.Draft,
		Opens: now, Closes: now.Add(24 * time.Hour), Scheme: survey.DefaultScheme(),
		GroupWeights: survey.DefaultGroupWeights(), Created: now, Updated: now}
}

func response(sv, code string, kind survey.CodeKind, device string) *survey.Response {
	now := survey.TruncateTime(time.Now())
	return &survey.Response{ID: fmt.Sprintf("r-%s-%s-%d", code, device, time.Now().UnixNano()), SurveyID: sv,
		Code: code, CodeKind: kind, Form: survey.SocialForm, FormVersion: 1, Group: survey.Parent,
		Answers: map[string]string{"c01": "1", "c02": "9"}, StartedAt: now.Add(-3 * time.Minute),
		SubmittedAt: now, DeviceID: device, AddrHash: "h", UAFamily: "wechat"}
}

func TestSurveyInsertFindAndDuplicate(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	sv := newSurvey("s1")
	if err := s.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	got, err := s.Survey(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got.County != "测试县" || got.Scheme[survey.OptNotRecognise] != 0 || got.GroupWeights[survey.Parent] != 0.5 {
		t.Fatalf("survey did not round-trip: %+v", got)
	}
	if err := s.CreateSurvey(ctx, sv); !errors.Is(err, survey.ErrDuplicate) {
		t.Fatalf("second insert of the same id: got %v, want ErrDuplicate", err)
	}
	if _, err := s.Survey(ctx, "nope"); !errors.Is(err, survey.ErrNotFound) {
		t.Fatalf("missing survey: got %v, want ErrNotFound", err)
	}
	// A conditional update refuses a survey no longer in the status it was read in.
	got.Status = survey.Open
	if err := s.UpdateSurvey(ctx, got, survey.Draft); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateSurvey(ctx, got, survey.Draft); !errors.Is(err, survey.ErrNotFound) {
		t.Fatalf("stale update: got %v, want ErrNotFound", err)
	}
}

func TestOneTimeCodeIsUniqueUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[string]int{}
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			err := s.AppendResponse(ctx, response("s1", "otc-1", survey.OneTimeCode, fmt.Sprint("dev", i)))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				outcomes["ok"]++
			case errors.Is(err, survey.ErrDuplicate):
				outcomes["dup"]++
			default:
				outcomes[err.Error()]++
			}
		}(i)
	}
	wg.Wait()
	if outcomes["ok"] != 1 || outcomes["dup"] != 49 {
		t.Fatalf("50 submissions of one one-time code: %v, want exactly 1 ok and 49 duplicates", outcomes)
	}
}

func TestChainAndIdempotentRetry(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	for i := 0; i < 30; i++ {
		if err := s.AppendResponse(ctx, response("s1", "shared-1", survey.SharedCode, fmt.Sprint("d", i))); err != nil {
			t.Fatal(err)
		}
	}
	// Same device again: refused. Same submission again (a client retry): recognised.
	r := response("s1", "shared-1", survey.SharedCode, "d3")
	if err := s.AppendResponse(ctx, r); !errors.Is(err, survey.ErrDuplicate) {
		t.Fatalf("second response from one device: got %v, want ErrDuplicate", err)
	}
	again := response("s1", "shared-1", survey.SharedCode, "d100")
	if err := s.AppendResponse(ctx, again); err != nil {
		t.Fatal(err)
	}
	retry := *again
	if err := s.AppendResponse(ctx, &retry); !errors.Is(err, store.ErrAlreadyRecorded) {
		t.Fatalf("retry of a stored submission: got %v, want ErrAlreadyRecorded", err)
	}
	v := survey.NewVerifier()
	n := 0
	if err := s.EachResponse(ctx, "s1", func(r *survey.Response) error { n++; return v.Next(r) }); err != nil {
		t.Fatal(err)
	}
	seq, head := v.Head()
	wantSeq, wantHead, err := s.Head(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if n != 31 || seq != 31 || seq != wantSeq || head != wantHead {
		t.Fatalf("chain: %d records, verified to seq %d head %s; store head %d %s", n, seq, head, wantSeq, wantHead)
	}
	if c, _ := s.CountOfCode(ctx, "s1", "shared-1", time.Now()); c != 31 {
		t.Fatalf("count by code = %d, want 31", c)
	}
}

func TestDataSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sub := t.Run("first", func(t *testing.T) {
		s := testenv.StoreAt(t, dir)
		if err := s.CreateSurvey(ctx, newSurvey("kept")); err != nil {
			t.Fatal(err)
		}
		if err := s.AppendResponse(ctx, response("kept", "c", survey.OneTimeCode, "d")); err != nil {
			t.Fatal(err)
		}
	})
	if !sub {
		t.FailNow()
	}
	s := testenv.StoreAt(t, dir)
	if _, err := s.Survey(ctx, "kept"); err != nil {
		t.Fatalf("after restart: %v", err)
	}
	seq, _, err := s.Head(ctx, "kept")
	if err != nil || seq != 1 {
		t.Fatalf("after restart the chain head is %d (%v), want 1", seq, err)
	}
}
