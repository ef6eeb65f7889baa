package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/survey"
)

func TestResponsesPerHour(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	sv := newSurvey("hours")
	if err := s.CreateSurvey(ctx, sv); err != nil {
		t.Fatal(err)
	}
	// Submission times in Asia/Shanghai: three in 09:xx, one in 11:xx, two just after midnight UTC+8.
	at := func(d, h, m int) time.Time { return time.Date(2025, 3, d, h, m, 0, 0, survey.Shanghai) }
	times := []time.Time{at(1, 9, 0), at(1, 9, 30), at(1, 9, 59), at(1, 11, 5), at(2, 0, 1), at(2, 0, 59)}
	for i, ts := range times {
		r := response(sv.ID, fmt.Sprintf("c%d", i), survey.OneTimeCode, fmt.Sprintf("d%d", i))
		r.SubmittedAt, r.StartedAt = survey.TruncateTime(ts), survey.TruncateTime(ts.Add(-5*time.Minute))
		if err := s.AppendResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	other := response("another", "x", survey.OneTimeCode, "dx")
	if err := s.AppendResponse(ctx, other); err != nil {
		t.Fatal(err)
	}
	got, err := s.ResponsesPerHour(ctx, sv.ID, time.Time{}, survey.Shanghai)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		h time.Time
		n int64
	}{{at(1, 9, 0), 3}, {at(1, 11, 0), 1}, {at(2, 0, 0), 2}}
	if len(got) != len(want) {
		t.Fatalf("got %d hours %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		if !got[i].Hour.Equal(w.h) || got[i].Count != w.n {
			t.Errorf("hour %d: %v %d, want %v %d", i, got[i].Hour, got[i].Count, w.h, w.n)
		}
	}
	since, err := s.ResponsesPerHour(ctx, sv.ID, at(1, 10, 0), survey.Shanghai)
	if err != nil || len(since) != 2 || since[0].Count != 1 {
		t.Errorf("since 10:00: %+v, %v", since, err)
	}
	utc, _ := s.ResponsesPerHour(ctx, sv.ID, time.Time{}, time.UTC)
	if len(utc) != 3 || utc[2].Hour.Hour() != 16 {
		t.Errorf("in UTC the last hour starts at 16:00: %+v", utc)
	}
}
