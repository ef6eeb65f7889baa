package api

import (
	"context"
	"sync"
	"time"

	"renke/survey"
)

// lookups caches access codes (immutable once issued) and surveys (whose
// status may change: kept for a few seconds only) on the submission path.
type lookups struct {
	mu      sync.Mutex
	codes   map[string]*survey.Code
	surveys map[string]cachedSurvey
}

type cachedSurvey struct {
	sv  *survey.Survey
	exp time.Time
}

const surveyTTL = 3 * time.Second

func (s *Server) code(ctx context.Context, code string) (*survey.Code, error) {
	s.cache.mu.Lock()
	c, ok := s.cache.codes[code]
	s.cache.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := s.store.Code(ctx, code)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if len(s.cache.codes) > 200000 {
		s.cache.codes = map[string]*survey.Code{}
	}
	s.cache.codes[code] = c
	s.cache.mu.Unlock()
	return c, nil
}

func (s *Server) survey(ctx context.Context, id string) (*survey.Survey, error) {
	now := s.now()
	s.cache.mu.Lock()
	cs, ok := s.cache.surveys[id]
	s.cache.mu.Unlock()
	if ok && now.Before(cs.exp) {
		return cs.sv, nil
	}
	sv, err := s.store.Survey(ctx, id)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	s.cache.surveys[id] = cachedSurvey{sv: sv, exp: now.Add(surveyTTL)}
	s.cache.mu.Unlock()
	return sv, nil
}

// forgetSurvey drops a survey from the cache after this server changed it.
func (s *Server) forgetSurvey(id string) {
	s.cache.mu.Lock()
	delete(s.cache.surveys, id)
	s.cache.mu.Unlock()
}
