package casework

import (
	"context"
	"errors"
	"fmt"

	"renke/account"
	"renke/evidence/retention"
	"renke/store"
	"renke/survey"
)

// System is renke itself acting on its own schedule (the purge when a
// survey's retention runs out), recorded as "renke".
func System() Actor { return Actor{User: &account.User{Name: "renke", Role: account.Admin}} }

// Purge removes the respondents' device ids, address hashes and user agents
// from ended survey id (the chain still verifies); audited with what was
// removed. A survey still collecting is refused (Conflict, wrapping
// retention.ErrNotEnded).
func (s *Service) Purge(ctx context.Context, a Actor, id string) (*survey.Survey, store.PurgeResult, error) {
	sv, err := s.Survey(ctx, a, id, account.PurgePersonal)
	if err != nil {
		return nil, store.PurgeResult{}, err
	}
	res, err := s.purge(ctx, a, sv, "手动清除")
	return sv, res, err
}

func (s *Service) purge(ctx context.Context, a Actor, sv *survey.Survey, note string) (store.PurgeResult, error) {
	if !sv.Ended() {
		return store.PurgeResult{}, &Error{Kind: Conflict, Msg: retention.ErrNotEnded.Error(), Err: retention.ErrNotEnded}
	}
	res, err := s.store.PurgePersonal(ctx, sv.ID)
	if err != nil {
		return res, From(fmt.Errorf("purge survey %s: %w", sv.ID, err))
	}
	return res, s.Record(ctx, a, account.ActPurge, Scope{County: sv.County, Survey: sv.ID, Target: sv.Title, Note: note}, nil, res)
}

// PurgeDue purges every ended survey whose retention has run out and whose
// responses still hold personal fields (a survey purged before has lost its
// commitment key); it returns how many it purged, and every failure.
func (s *Service) PurgeDue(ctx context.Context, a Actor) (int, error) {
	if err := require(a, account.PurgePersonal); err != nil {
		return 0, err
	}
	svs, err := s.store.Surveys(ctx, nil)
	if err != nil {
		return 0, From(err)
	}
	now := s.now()
	n := 0
	var errs []error
	for i := range svs {
		sv := &svs[i]
		if !sv.PurgeDue(now) {
			continue
		}
		if key, err := s.store.CommitKey(ctx, sv.ID, false); err != nil || key == nil {
			if err != nil {
				errs = append(errs, fmt.Errorf("survey %s: %w", sv.ID, err))
			}
			continue // purged before (the key goes with the purge), or nothing to purge
		}
		res, err := s.purge(ctx, a, sv, "保存期满自动清除")
		if err != nil {
			errs = append(errs, fmt.Errorf("survey %s: %w", sv.ID, err))
			continue
		}
		n++
		s.log.Info("purged respondents' personal fields after the retention", "survey", sv.ID, "purged", res.Purged, "kept", res.Kept)
	}
	if err := errors.Join(errs...); err != nil {
		return n, From(err)
	}
	return n, nil
}
