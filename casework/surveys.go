package casework

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"

	"renke/account"
	"renke/survey"
)

// NewSurvey is what creating a survey takes.
type NewSurvey struct {
	County string    `json:"-"` // the door names it (the console and the API by their URL)
	Title  string    `json:"title"`
	Opens  time.Time `json:"opens"`
	Closes time.Time `json:"closes"`
	Scheme string    `json:"scheme"` // "default" (recognition rate) or "graded" (satisfaction index)
	// Forms replaces the default questionnaires of their kinds (nil: the defaults).
	Forms map[survey.FormKind]survey.Questionnaire `json:"-"`
	// ID, when set, is the survey's id instead of a new random one, and Seed
	// its recorded seed: the demo's survey is the same for the same seed.
	// Neither is taken from a console form or a JSON body.
	ID   string `json:"-"`
	Seed int64  `json:"-"`
}

// FormSummary is one form of a survey as the audit log records it.
type FormSummary struct {
	Kind    survey.FormKind `json:"Kind"`
	Label   string          `json:"Label"`
	Title   string          `json:"Title"`
	Version int             `json:"Version"`
	Items   int             `json:"Items"`
	Groups  string          `json:"Groups"`
}

// FormSummaries describes forms in form order.
func FormSummaries(forms map[survey.FormKind]survey.Questionnaire) []FormSummary {
	var out []FormSummary
	for _, k := range survey.FormKinds {
		q, ok := forms[k]
		if !ok {
			continue
		}
		var groups []string
		for _, g := range survey.Groups {
			if g.Form() == k {
				groups = append(groups, g.Label())
			}
		}
		out = append(out, FormSummary{Kind: k, Label: k.Label(), Title: q.Title, Version: q.Version,
			Items: len(q.Items), Groups: strings.Join(groups, "、")})
	}
	return out
}

// CreateSurvey makes a draft survey in in.County.
func (s *Service) CreateSurvey(ctx context.Context, a Actor, in NewSurvey) (*survey.Survey, error) {
	if a.User == nil || !a.User.Sees(in.County) {
		return nil, Errorf(NotFound, MsgCountyMissing)
	}
	if err := require(a, account.CreateSurvey); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Title) == "" {
		in.Title = strings.TrimSpace(in.County) + "义务教育优质均衡发展社会认可度调查"
	}
	forms := survey.DefaultForms()
	maps.Copy(forms, in.Forms)
	sv, err := survey.NewSurvey(in.County, in.Title, in.Opens, in.Closes, forms)
	if err != nil {
		return nil, Wrap(Invalid, err)
	}
	if in.ID != "" {
		sv.ID = in.ID
	}
	sv.Seed = in.Seed
	sv.Created = survey.TruncateTime(s.now())
	sv.Updated = sv.Created
	switch in.Scheme {
	case "", "default":
	case "graded":
		if err := sv.SetScheme(survey.GradedScheme()); err != nil {
			return nil, Wrap(Invalid, err)
		}
	default:
		return nil, Errorf(Invalid, "计分方案应为 default（认可率）或 graded（满意度指数）")
	}
	if err := s.store.CreateSurvey(ctx, sv); err != nil {
		return nil, From(err)
	}
	after := map[string]any{"title": sv.Title, "opens": sv.Opens, "closes": sv.Closes, "scheme": sv.Scheme,
		"group_weights": sv.GroupWeights, "forms": FormSummaries(sv.Forms)}
	return sv, s.Record(ctx, a, account.ActSurveyCreate, Scope{County: sv.County, Survey: sv.ID, Target: sv.Title}, nil, after)
}

var statusActions = map[survey.Status]account.Action{survey.Open: account.ActSurveyOpen,
	survey.Closed: account.ActSurveyClose, survey.Archived: account.ActSurveyArchive}

// ChangeStatus moves survey id to status to (open, close, archive),
// conditionally on the status it was read in. Opening after the closing
// time is refused.
func (s *Service) ChangeStatus(ctx context.Context, a Actor, id string, to survey.Status) (*survey.Survey, error) {
	sv, err := s.Survey(ctx, a, id, account.RunSurvey)
	if err != nil {
		return nil, err
	}
	now := s.now()
	from := sv.Status
	if to == survey.Open && from == survey.Draft {
		if err := sv.CanOpenAt(now); err != nil {
			return sv, Wrap(Conflict, err)
		}
	}
	if err := sv.Transition(to, now); err != nil {
		return sv, Wrap(Conflict, err)
	}
	if err := s.store.UpdateSurvey(ctx, sv, from); err != nil {
		if errors.Is(err, survey.ErrNotFound) {
			return sv, Errorf(Conflict, "调查状态已被他人更改，请刷新页面后重试")
		}
		return sv, From(err)
	}
	s.changed(sv.ID, SurveyChanged)
	if e, ok := s.sessions.(SurveyEnder); ok && to == survey.Closed {
		// Best effort: the survey's keys expire after its close anyway.
		if err := e.EndSurvey(context.WithoutCancel(ctx), sv.ID); err != nil {
			s.log.Warn("could not drop a closed survey's keys from redis", "survey", sv.ID, "error", err)
		}
	}
	return sv, s.Record(ctx, a, statusActions[to], Scope{County: sv.County, Survey: sv.ID, Target: sv.Title},
		map[string]any{"status": from}, map[string]any{"status": to, "opens": sv.Opens, "closes": sv.Closes})
}

// editDraft stores a draft survey after edit changed it, and records before → after.
func (s *Service) editDraft(ctx context.Context, a Actor, id string, act account.Action, get func(*survey.Survey) any, edit func(*survey.Survey) error) (*survey.Survey, error) {
	sv, err := s.Survey(ctx, a, id, account.EditSurvey)
	if err != nil {
		return nil, err
	}
	before := get(sv)
	if err := edit(sv); err != nil {
		if errors.Is(err, survey.ErrFrozen) {
			return sv, Wrap(Conflict, err)
		}
		return sv, Wrap(Invalid, err)
	}
	sv.Updated = survey.TruncateTime(s.now())
	if err := s.store.UpdateSurvey(ctx, sv, survey.Draft); err != nil {
		if errors.Is(err, survey.ErrNotFound) {
			return sv, Wrap(Conflict, survey.ErrFrozen)
		}
		return sv, From(err)
	}
	s.changed(sv.ID, SurveyChanged)
	return sv, s.Record(ctx, a, act, Scope{County: sv.County, Survey: sv.ID, Target: sv.Title}, before, get(sv))
}

// SetGroupWeights replaces a draft survey's group weights.
func (s *Service) SetGroupWeights(ctx context.Context, a Actor, id string, w map[survey.Group]float64) (*survey.Survey, error) {
	return s.editDraft(ctx, a, id, account.ActSurveyWeights,
		func(sv *survey.Survey) any { return maps.Clone(sv.GroupWeights) },
		func(sv *survey.Survey) error { return sv.SetGroupWeights(w) })
}

// SetScheme replaces a draft survey's scoring scheme.
func (s *Service) SetScheme(ctx context.Context, a Actor, id string, sc survey.Scheme) (*survey.Survey, error) {
	return s.editDraft(ctx, a, id, account.ActSurveyScheme,
		func(sv *survey.Survey) any { return maps.Clone(sv.Scheme) },
		func(sv *survey.Survey) error { return sv.SetScheme(sc) })
}
