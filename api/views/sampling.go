package views

import (
	"errors"

	"renke/api/httpx"
	"renke/casework"
	"renke/sampling"
	"renke/web/console"
)

// FrameSummary is what the console and the API say about a stored frame.
func FrameSummary(f *sampling.Frame) *console.FrameSummary {
	if f == nil {
		return nil
	}
	fs := console.FrameSummary(*casework.SummarizeFrame(f))
	return &fs
}

// Unreadable makes a file the sampling package cannot read at all a 422,
// keeping a *sampling.FrameError (the per-row problems) as it is.
func Unreadable(err error) error {
	var fe *sampling.FrameError
	if err == nil || errors.As(err, &fe) {
		return err
	}
	return httpx.Invalid(err)
}
