// Package retention removes respondents' personal fields (device id,
// address hash, user agent) from an ended survey's responses, by hand or
// when the survey's retention runs out, keeping the answers and the chain
// verifying (survey.FormatV2 records commit to the fields).
package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"renke/account"
	"renke/store"
	"renke/survey"
)

// ErrNotEnded means a purge was asked for a survey still collecting.
var ErrNotEnded = errors.New("调查尚未结束，不能清除应答者个人信息")

// Purge removes the personal fields of an ended survey's responses and
// audits it as done by actor.
func Purge(ctx context.Context, st *store.Store, sv *survey.Survey, actor, note string) (store.PurgeResult, error) {
	if !sv.Ended() {
		return store.PurgeResult{}, fmt.Errorf("survey %s: %w", sv.ID, ErrNotEnded)
	}
	res, err := st.PurgePersonal(ctx, sv.ID)
	if err != nil {
		return res, err
	}
	entry, err := account.NewEntry(nil, account.ActPurge, nil, res, time.Now())
	if err != nil {
		return res, err
	}
	entry.Actor, entry.County, entry.Survey, entry.Target, entry.Note = actor, sv.County, sv.ID, sv.Title, note
	if err := st.AppendAudit(ctx, entry); err != nil {
		return res, fmt.Errorf("survey %s purged, but the audit entry was not written: %w", sv.ID, err)
	}
	return res, nil
}

// PurgeDue purges every ended survey whose retention has run out and whose
// responses still hold personal fields; it returns how many it purged.
func PurgeDue(ctx context.Context, st *store.Store, now time.Time, log *slog.Logger) (int, error) {
	svs, err := st.Surveys(ctx, nil)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for i := range svs {
		sv := &svs[i]
		if !sv.PurgeDue(now) {
			continue
		}
		if key, err := st.CommitKey(ctx, sv.ID, false); err != nil || key == nil {
			if err != nil {
				errs = append(errs, err)
			}
			continue // purged before (the key goes with the purge), or nothing to purge
		}
		res, err := Purge(ctx, st, sv, "renke", "保存期满自动清除")
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
		log.Info("purged respondents' personal fields after the retention", "survey", sv.ID, "purged", res.Purged, "kept", res.Kept)
	}
	return n, errors.Join(errs...)
}

// Every is how often the server looks for surveys due for a purge.
const Every = time.Hour

// OnSchedule runs PurgeDue now and every Every until ctx ends.
func OnSchedule(ctx context.Context, st *store.Store, log *slog.Logger) {
	t := time.NewTicker(Every)
	defer t.Stop()
	for {
		if _, err := PurgeDue(ctx, st, time.Now(), log); err != nil {
			log.Error("scheduled purge of personal fields", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
