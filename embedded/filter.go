package embedded

import (
	"context"
	"log/slog"
)

// levelFilter passes on records at or above min.
type levelFilter struct {
	h   slog.Handler
	min slog.Level
}

func (f *levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.h.Enabled(ctx, l)
}

func (f *levelFilter) Handle(ctx context.Context, r slog.Record) error { return f.h.Handle(ctx, r) }

func (f *levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return &levelFilter{h: f.h.WithAttrs(a), min: f.min}
}

func (f *levelFilter) WithGroup(n string) slog.Handler {
	return &levelFilter{h: f.h.WithGroup(n), min: f.min}
}
