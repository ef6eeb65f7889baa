package api

import "time"

// ProgressRuns is how many times the server has computed a survey's progress.
func (s *Server) ProgressRuns() int64 { return s.views.ProgressRuns() }

// SetClock replaces the server's clock; call it before the server serves.
func (s *Server) SetClock(now func() time.Time) { s.now = now }
