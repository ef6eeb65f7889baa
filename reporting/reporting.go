// Package reporting assembles a survey's recognition report from stored data:
// it reads the raw responses once, checks the hash chain, applies the quality
// rules and the evaluators' overrides, and runs the estimator.
package reporting

import (
	"context"
	"errors"
	"slices"
	"time"

	"renke/account"
	"renke/config"
	"renke/hashchain"
	"renke/report"
	"renke/sampling"
	"renke/survey"
)

// Build computes the report of a survey from the store. A survey with no
// valid response gives a report without estimates (Published.HasData is
// false, NoData says why); an error means a real failure.
func Build(ctx context.Context, st Source, surveyID string) (*report.Published, error) {
	sv, err := st.Survey(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	l, err := load(ctx, st, sv)
	if err != nil {
		return nil, err
	}
	return finish(ctx, st, l, func(ctx context.Context, st Source, id string, _ bool) ([]account.Entry, hashchain.Result, error) {
		s, err := walkAudit(ctx, st)
		if err != nil {
			return nil, hashchain.Result{}, err
		}
		return s.trail(id), s.result, nil
	})
}

// loaded is what a report is computed from, read from the store once: the
// survey's design and its responses with the result of checking their chain.
type loaded struct {
	survey    *survey.Survey
	frame     *sampling.Frame
	plan      *sampling.Plan
	responses []survey.Response
	chainErr  error
	check     hashchain.Result   // the chain's check, without anchors
	anchors   []hashchain.Anchor // the chain's stored anchors, read before the responses
	seq       int64
	head      string
	at        time.Time // when the responses were first read whole
	final     bool      // the survey was closed and settled: no response can follow
	// auditSeq and auditHash are the audit log's head read just before the
	// survey's data: what the cache compares to know nothing was changed
	// through the console since (every change of a setting is audited).
	auditSeq  int64
	auditHash string
}

// load reads the survey's frame, plan and responses, verifying the chain.
func load(ctx context.Context, st Source, sv *survey.Survey) (*loaded, error) {
	return extend(ctx, st, sv, nil)
}

// extend reads the survey's frame and plan afresh and the responses after
// those of prev (all of them when prev is nil), verifying the chain from
// prev's head on. prev is left unchanged: builds may be using it.
func extend(ctx context.Context, st Source, sv *survey.Survey, prev *loaded) (*loaded, error) {
	l := &loaded{survey: sv, at: time.Now()}
	v := survey.NewChecker()
	var before int64
	if prev != nil {
		// A held entry's chain verified (the cache keeps no other).
		l.at, l.responses = prev.at, slices.Clip(prev.responses)
		v, before = survey.ResumeChecker(prev.seq, prev.head), prev.check.Records
	}
	// Anchors are written after the records they name: read first, they
	// name none that a concurrent append has not stored yet.
	var err error
	if l.anchors, err = st.Anchors(ctx, sv.ID); err != nil {
		return nil, err
	}
	if l.frame, err = st.Frame(ctx, sv.ID); err != nil && !errors.Is(err, survey.ErrNotFound) {
		return nil, err
	}
	if l.plan, err = st.Plan(ctx, sv.ID); err != nil && !errors.Is(err, survey.ErrNotFound) {
		return nil, err
	}
	var after int64
	if prev != nil {
		after = prev.lastSeq()
	}
	key, err := st.CommitKey(ctx, sv.ID, false)
	if err != nil {
		return nil, err
	}
	var uncommitted []hashchain.Break
	err = st.EachResponseAfter(ctx, sv.ID, after, func(r *survey.Response) error {
		v.Add(r)
		if key != nil && !r.CommitmentHolds(key) {
			uncommitted = append(uncommitted, survey.CommitmentBreak(r))
		}
		l.responses = append(l.responses, *r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.check = v.Result().With(uncommitted...)
	l.check.Records += before
	l.seq, l.head, l.chainErr = l.check.Verified, l.check.Head, l.check.Err()
	return l, nil
}

// lastSeq is the sequence number of the last response read.
func (l *loaded) lastSeq() int64 {
	if n := len(l.responses); n > 0 {
		return l.responses[n-1].Seq
	}
	return 0
}

// trailFunc returns a survey's audit trail and the audit chain's check, read
// afresh when fresh is set.
type trailFunc func(ctx context.Context, st Source, surveyID string, fresh bool) ([]account.Entry, hashchain.Result, error)

// finish applies the quality rules and the evaluators' overrides, read now,
// to the loaded responses, takes the audit trail from trail, and estimates.
// It leaves l unchanged, so a cached load serves any number of builds.
func finish(ctx context.Context, st Source, l *loaded, trail trailFunc) (*report.Published, error) {
	sv := l.survey
	d := &report.Published{Survey: sv, Frame: l.frame, Plan: l.plan, Responses: l.responses,
		Generated: time.Now().UTC(), Version: config.Version}
	var err error
	d.ResponseCheck = responseCheck(l)
	d.ChainError = d.ResponseCheck.Err()
	if d.Quality, d.Overrides, err = Quality(ctx, st, sv.ID, d.Responses); err != nil {
		return nil, err
	}
	if d.Audit, d.AuditCheck, err = trail(ctx, st, sv.ID, false); err != nil {
		return nil, err
	}
	if d.Unaudited = unaudited(d.Overrides, d.Audit, d.Generated); len(d.Unaudited) > 0 {
		// A copy of the log may predate an entry made through another server.
		if d.Audit, d.AuditCheck, err = trail(ctx, st, sv.ID, true); err != nil {
			return nil, err
		}
		d.Unaudited = unaudited(d.Overrides, d.Audit, d.Generated)
	}
	d.AuditChain = d.AuditCheck.State()
	set, err := dataSettings(ctx, st, d)
	if err != nil {
		return nil, err
	}
	d.Settings = CheckSettings(set, d.Audit)
	rep, err := report.EstimateSurvey(d)
	if errors.Is(err, report.ErrNoData) {
		d.NoData = report.ErrNoData.Error() // the data are there; only no rate can be estimated
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	rep.SurveyID, rep.County, rep.Title = sv.ID, sv.County, sv.Title
	rep.Scoring = survey.Scoring(sv.Forms, sv.Scheme)
	rep.ChainHead, rep.ChainLength = l.head, l.seq
	rep.Verification = &report.Verification{Responses: d.ResponseCheck, Audit: d.AuditCheck, Settings: d.Settings}
	d.Report = rep
	signHeads(st, d)
	return d, nil
}

// Trail reads the whole audit log once, in chain order, verifying its hash
// chain, and returns the survey's entries (oldest first) with what the
// verification found.
func Trail(ctx context.Context, st Source, surveyID string) ([]account.Entry, hashchain.State, error) {
	s, err := walkAudit(ctx, st)
	if err != nil {
		return nil, hashchain.State{}, err
	}
	return s.trail(surveyID), s.result.State(), nil
}

// AuditChain walks the whole audit log and returns what verifying its hash
// chain found.
func AuditChain(ctx context.Context, st Source) (hashchain.State, error) {
	res, err := AuditCheck(ctx, st)
	return res.State(), err
}

// AuditCheck walks the whole audit log and checks its hash chain, naming
// every break (and a tail cut below the newest anchor kept outside the log).
// Extra anchors (a checkpoint file) are compared too.
func AuditCheck(ctx context.Context, st Source, extra ...hashchain.Anchor) (hashchain.Result, error) {
	s, err := walkAudit(ctx, st, extra...)
	if err != nil {
		return hashchain.Result{}, err
	}
	return s.result, nil
}

// auditSnap is one verified walk of the audit log, by survey.
type auditSnap struct {
	at       time.Time
	appends  int64 // the store's AuditAppends when the walk began
	result   hashchain.Result
	bySurvey map[string][]account.Entry
}

// walkAudit reads the whole audit log in chain order, checking it against
// its anchors and extra ones, and keeps the entries about surveys.
func walkAudit(ctx context.Context, st Source, extra ...hashchain.Anchor) (*auditSnap, error) {
	s := &auditSnap{at: time.Now(), appends: st.AuditAppends(), bySurvey: map[string][]account.Entry{}}
	anchors, err := auditAnchors(ctx, st)
	if err != nil {
		return nil, err
	}
	anchors = append(anchors, extra...)
	v := hashchain.NewChecker("audit entry")
	v.Expect(anchors...)
	err = st.EachAudit(ctx, func(e *account.Entry) error {
		v.Add(e)
		if e.Survey != "" {
			s.bySurvey[e.Survey] = append(s.bySurvey[e.Survey], *e)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	s.result = v.Result(anchors...)
	return s, nil
}

// trail is the survey's entries, oldest first (never nil).
func (s *auditSnap) trail(surveyID string) []account.Entry {
	if t := s.bySurvey[surveyID]; t != nil {
		return t
	}
	return []account.Entry{}
}

// Quality runs the survey's data-quality rules, as last set for it, over its
// responses and applies the evaluators' overrides, which it returns too.
func Quality(ctx context.Context, st Source, surveyID string, rs []survey.Response) (*report.Quality, []report.Override, error) {
	rules, err := st.QualityRules(ctx, surveyID)
	if err != nil {
		return nil, nil, err
	}
	q, err := report.CheckQuality(rs, rules)
	if err != nil {
		return nil, nil, err
	}
	overrides, err := st.Overrides(ctx, surveyID)
	if err != nil {
		return nil, nil, err
	}
	if err := q.Apply(overrides); err != nil {
		return nil, nil, err
	}
	return q, overrides, nil
}
