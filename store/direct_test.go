package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"renke/account"
	"renke/evidence"
	"renke/internal/testenv"
	"renke/store"
	"renke/survey"
)

// readAll reads a survey's responses after seq after, copied.
func readAll(t *testing.T, s *store.Store, surveyID string, after int64) []survey.Response {
	t.Helper()
	var out []survey.Response
	if err := s.EachResponseAfter(context.Background(), surveyID, after, func(r *survey.Response) error {
		c := *r
		out = append(out, c)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDirectReadsWhatTheDriverReads compares the embedded store's direct
// reads (responses, chain heads, the audit head) with the driver's answers
// over the same data, including a record changed behind the chain's back.
func TestDirectReadsWhatTheDriverReads(t *testing.T) {
	ctx := context.Background()
	s, direct := testenv.StoreDirect(t)
	key := []byte("0123456789abcdef0123456789abcdef")
	for i := 0; i < 25; i++ {
		r := response("sd", fmt.Sprint("c", i), survey.OneTimeCode, fmt.Sprint("d", i))
		r.School, r.Township = fmt.Sprint("school-", i%3), "镇"
		if i%2 == 0 {
			r.Group, r.Urbanicity, r.Band, r.Form = survey.Student, survey.Urban, survey.Band("g4-6"), survey.StudentForm
		}
		if i%5 == 0 {
			r.StartedAt = time.Time{}
		}
		r.SubmittedAt = r.SubmittedAt.Add(time.Duration(i) * 1234 * time.Millisecond)
		if i%3 == 0 {
			r.CommitPersonal(key)
		}
		if err := s.AppendResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.ResponsesOf("sd").UpdateOne(ctx, bson.M{"seq": 7}, bson.M{"$set": bson.M{"answers.c01": "4"}}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if err := s.AppendAudit(ctx, &account.Entry{ID: fmt.Sprint("a", i), At: time.Now(), Actor: "admin", Action: account.Action("login")}); err != nil {
			t.Fatal(err)
		}
	}
	now := survey.TruncateTime(time.Now())
	codes := []survey.Code{
		{Code: "sh1", SurveyID: "sd", Kind: survey.SharedCode, Group: survey.Parent, School: "s1", SchoolName: "一小", Quota: 3, Batch: "b", Created: now},
		{Code: "ot1", SurveyID: "sd", Kind: survey.OneTimeCode, Group: survey.Parent, Created: now},
		{Code: "sh0", SurveyID: "sd", Kind: survey.SharedCode, Group: survey.Teacher, Quota: 9, Created: now, Voided: now.Add(time.Minute), OutOfPlan: "补发"},
		{Code: "sh2", SurveyID: "other", Kind: survey.SharedCode, Group: survey.Parent, Quota: 1, Created: now},
	}
	if err := s.InsertCodes(ctx, codes); err != nil {
		t.Fatal(err)
	}
	type reads struct {
		quotas      []survey.Code
		all, after  []survey.Response
		seq, audit  int64
		head, ahead string
		none        []survey.Response
		noneSeq     int64
		noneHead    string
	}
	read := func() reads {
		var r reads
		var err error
		r.all, r.after, r.none = readAll(t, s, "sd", 0), readAll(t, s, "sd", 20), readAll(t, s, "nothing", 0)
		if r.seq, r.head, err = s.Tip(ctx, "sd"); err != nil {
			t.Fatal(err)
		}
		if r.noneSeq, r.noneHead, err = s.Tip(ctx, "nothing"); err != nil {
			t.Fatal(err)
		}
		if r.audit, r.ahead, err = s.AuditHead(ctx); err != nil {
			t.Fatal(err)
		}
		set, err := s.Settings(ctx, "sd", evidence.Quotas)
		if err != nil {
			t.Fatal(err)
		}
		r.quotas = set.Quotas
		return r
	}
	got := read()
	s.UseDirect(nil)
	want := read()
	s.UseDirect(direct)
	if len(got.all) != 25 || len(got.after) != 5 || got.seq != 25 || got.audit != 3 || len(got.none) != 0 || got.noneSeq != 0 ||
		len(got.quotas) != 2 || got.quotas[0].Code != "sh1" {
		t.Fatalf("direct reads: %d responses, %d after 20, tip %d, audit head %d, %d of no survey at %d, shared codes %+v",
			len(got.all), len(got.after), got.seq, got.audit, len(got.none), got.noneSeq, got.quotas)
	}
	if got.all[6].Answers["c01"] != "4" {
		t.Fatalf("the changed record reads %v", got.all[6].Answers)
	}
	if !reflect.DeepEqual(got, want) {
		for i := range want.all {
			if i < len(got.all) && !reflect.DeepEqual(got.all[i], want.all[i]) {
				t.Errorf("response %d: direct %+v\ndriver %+v", i, got.all[i], want.all[i])
			}
		}
		t.Fatalf("direct reads differ from the driver's:\n%+v\n%+v", got, want)
	}
}
