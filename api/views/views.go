// Package views holds what the console pages and the JSON API both read and
// show of a survey: its progress (one computation shared between viewers),
// its code rows, its quality and stuffing findings, its report as built and
// cached, the county lists and the audit trail's filter. It changes nothing.
package views

import (
	"log/slog"
	"time"

	"renke/api/auth"
	"renke/api/httpx"
	"renke/casework"
	"renke/reporting"
	"renke/store"
)

// Deps are what the views are built from.
type Deps struct {
	Store   *store.Store
	Reports *reporting.Cache
	Access  *auth.Access
	Out     *httpx.Responder
	// PublicURL is the base of the codes' links.
	PublicURL string
	Log       *slog.Logger
	Now       func() time.Time
}

// Views reads what the console pages and the JSON API show.
type Views struct {
	Deps
	progressCache progressCache
}

// New builds the views.
func New(d Deps) *Views {
	v := &Views{Deps: d}
	v.progressCache.entries = map[string]*progressEntry{}
	return v
}

// Changed drops the progress figures of a survey the application layer
// changed (codes issued or voided, quality rules or overrides).
func (s *Views) Changed(ch casework.Change) { s.forgetProgress(ch.SurveyID) }

// ProgressRuns is how many times progress has been computed (tests read it).
func (s *Views) ProgressRuns() int64 { return s.progressCache.runs.Load() }
