// Package retention holds when respondents' personal fields (device id,
// address hash, user agent) go: an ended survey's may be purged by hand, and
// are purged on schedule when its retention runs out (survey.Survey.PurgeDue).
// The purge itself is a use case of the application layer (casework), which
// the schedule is given as a func; the answers stay and the chain still
// verifies (survey.FormatV2 records commit to the fields).
package retention

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// ErrNotEnded means a purge was asked for a survey still collecting.
var ErrNotEnded = errors.New("调查尚未结束，不能清除应答者个人信息")

// Every is how often the server looks for surveys due for a purge.
const Every = time.Hour

// OnSchedule runs purgeDue (casework.Service.PurgeDue as renke itself) now
// and every Every until ctx ends, logging its failures.
func OnSchedule(ctx context.Context, purgeDue func(context.Context) (int, error), log *slog.Logger) {
	t := time.NewTicker(Every)
	defer t.Stop()
	for {
		if _, err := purgeDue(ctx); err != nil {
			log.Error("scheduled purge of personal fields", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
