package api

import (
	"context"
	"sync"
	"time"

	"renke/survey"
)

// lookups caches access codes (immutable once issued but for being voided:
// kept for codeTTL) and surveys (whose status may change: kept for a few
// seconds only) on the submission path.
type lookups struct {
	mu      sync.Mutex
	codes   map[string]cachedCode
	surveys map[string]cachedSurvey
}

type cachedCode struct {
	c   *survey.Code
	exp time.Time
}

// codeTTL bounds how long a replica answers a voided code as live.
const codeTTL = 30 * time.Second

type cachedSurvey struct {
	sv  *survey.Survey
	exp time.Time
}

const surveyTTL = 3 * time.Second

func (s *Server) code(ctx context.Context, code string) (*survey.Code, error) {
	now := s.now()
	s.cache.mu.Lock()
	cc, ok := s.cache.codes[code]
	s.cache.mu.Unlock()
	if ok && now.Before(cc.exp) {
		return cc.c, nil
	}
	c, err := s.store.Code(ctx, code)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if len(s.cache.codes) > 200000 {
		s.cache.codes = map[string]cachedCode{}
	}
	s.cache.codes[code] = cachedCode{c: c, exp: now.Add(codeTTL)}
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

// forgetCodes drops every cached code (after codes were voided).
func (s *Server) forgetCodes() {
	s.cache.mu.Lock()
	s.cache.codes = map[string]cachedCode{}
	s.cache.mu.Unlock()
}

// forgetSurvey drops a survey from the cache after this server changed it.
func (s *Server) forgetSurvey(id string) {
	s.cache.mu.Lock()
	delete(s.cache.surveys, id)
	s.cache.mu.Unlock()
}
