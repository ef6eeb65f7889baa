package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"renke/account"
	"renke/sampling"
	"renke/survey"
)

// FrameSummary is what the audit log and the doors say about a stored frame.
type FrameSummary struct {
	County   sampling.County `json:"county"`
	Schools  int             `json:"schools"`
	Pupils   int             `json:"pupils"`
	Teachers int             `json:"teachers"`
}

// SummarizeFrame sums a frame's schools, pupils and teachers.
func SummarizeFrame(f *sampling.Frame) *FrameSummary {
	if f == nil {
		return nil
	}
	fs := &FrameSummary{County: f.County, Schools: len(f.Schools)}
	for i := range f.Schools {
		fs.Pupils += f.Schools[i].Pupils()
		fs.Teachers += f.Schools[i].Teachers
	}
	return fs
}

// SaveFrame checks a frame for a draft survey of its own county and stores it.
func (s *Service) SaveFrame(ctx context.Context, a Actor, id string, f *sampling.Frame) (*survey.Survey, error) {
	sv, err := s.Survey(ctx, a, id, account.EditSurvey)
	if err != nil {
		return nil, err
	}
	if sv.Status != survey.Draft {
		return sv, Errorf(Conflict, "调查已开放，不能再更换抽样框")
	}
	if strings.TrimSpace(f.County.Name) != sv.County {
		return sv, Errorf(Invalid, "抽样框属于“%s”，本调查属于“%s”：不能使用其他区县的抽样框，未保存", f.County.Name, sv.County)
	}
	if err := s.store.SaveFrame(ctx, sv.ID, a.Name(), f); err != nil {
		return sv, From(err)
	}
	return sv, s.Record(ctx, a, account.ActSurveyFrame, Scope{County: sv.County, Survey: sv.ID, Target: f.County.Name}, nil, SummarizeFrame(f))
}

// PlanInput is what drawing a sample takes.
type PlanInput struct {
	Seed          *int64  `json:"seed"`
	RatePermille  float64 `json:"rate_permille"` // 0: the default 1.5‰
	Floor         int     `json:"floor"`
	TakePerSchool int     `json:"take_per_school"`
	// VoidCodes confirms a redraw that voids the codes issued from the current plan.
	VoidCodes bool `json:"void_codes"`
}

// Impact is what redrawing a survey's plan would void.
type Impact struct {
	Codes     []string `json:"-"`
	Shared    int      `json:"shared"`
	OneTime   int      `json:"onetime"`
	Schools   []string `json:"schools"`
	Responses int64    `json:"responses"` // stored through those codes
}

// Message says in Chinese what the redraw voids.
func (im Impact) Message() string {
	msg := fmt.Sprintf("当前抽样方案已发放 %d 个访问码（共享码 %d 个、一次性码 %d 个）", len(im.Codes), im.Shared, im.OneTime)
	if len(im.Schools) > 0 {
		msg += "，涉及学校：" + strings.Join(im.Schools, "、")
	}
	return msg + "。重新抽样将作废这些访问码，已打印的二维码将不能再作答；确认作废后才会重新抽样。"
}

// liveInPlan reports a code issued from the plan and not voided.
func liveInPlan(c *survey.Code) bool { return c.Voided.IsZero() && c.OutOfPlan == "" }

// RedrawImpact lists the live codes of survey id's plan a redraw would void.
func (s *Service) RedrawImpact(ctx context.Context, a Actor, id string) (Impact, error) {
	sv, err := s.Survey(ctx, a, id, account.ViewSurvey)
	if err != nil {
		return Impact{}, err
	}
	return s.impact(ctx, sv.ID)
}

func (s *Service) impact(ctx context.Context, id string) (Impact, error) {
	var im Impact
	codes, err := s.store.Codes(ctx, id)
	if err != nil {
		return im, From(err)
	}
	counts, err := s.store.CountsByCode(ctx, id)
	if err != nil {
		return im, From(err)
	}
	seen := map[string]bool{}
	for i := range codes {
		c := &codes[i]
		if !liveInPlan(c) {
			continue
		}
		im.Codes = append(im.Codes, c.Code)
		im.Responses += counts[c.Code]
		if c.Kind == survey.SharedCode {
			im.Shared++
		} else {
			im.OneTime++
		}
		name := c.SchoolName
		if name == "" {
			name = c.School
		}
		if name != "" && !seen[name] {
			seen[name] = true
			im.Schools = append(im.Schools, name)
		}
	}
	slices.Sort(im.Schools) // codes issued together share a time: their order is not the plan's
	return im, nil
}

// DrawPlan draws the sample of a draft survey from its frame and stores it.
// Once codes were issued from the plan it is locked: a redraw must confirm
// (in.VoidCodes) that they are voided, and is refused while any response
// came through them.
func (s *Service) DrawPlan(ctx context.Context, a Actor, id string, in PlanInput) (*sampling.Plan, error) {
	sv, err := s.Survey(ctx, a, id, account.EditSurvey)
	if err != nil {
		return nil, err
	}
	if sv.Status != survey.Draft {
		return nil, Errorf(Conflict, "调查已开放，不能再重新抽样")
	}
	if in.RatePermille < 0 || in.RatePermille > 1000 || in.Floor < 0 || in.TakePerSchool < 0 {
		return nil, Errorf(Invalid, "抽样比例、最小样本量和每校人数不能为负数")
	}
	f, err := s.store.Frame(ctx, sv.ID)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, Errorf(Conflict, "请先上传抽样框")
	}
	if err != nil {
		return nil, From(err)
	}
	im, err := s.impact(ctx, sv.ID)
	if err != nil {
		return nil, err
	}
	if im.Responses > 0 {
		return nil, Errorf(Conflict, "已有 %d 份答卷通过当前抽样方案的访问码提交，不能重新抽样", im.Responses)
	}
	if len(im.Codes) > 0 && !in.VoidCodes {
		return nil, &Error{Kind: Conflict, Msg: im.Message(), Confirm: true}
	}
	p, err := sampling.MakePlan(f, sampling.Options{Seed: in.Seed, Rate: in.RatePermille / 1000, Floor: in.Floor,
		TakePerSchool: in.TakePerSchool, GroupWeights: sv.GroupWeights})
	if err != nil {
		return nil, Wrap(Invalid, err)
	}
	if len(im.Codes) > 0 {
		old, err := s.store.Plan(ctx, sv.ID)
		if err != nil {
			return nil, From(err)
		}
		n, err := s.store.VoidCodes(ctx, sv.ID, im.Codes, s.now())
		if err != nil {
			return nil, From(err)
		}
		s.changed(sv.ID, CodesVoided)
		if err := s.Record(ctx, a, account.ActCodesVoid, Scope{County: sv.County, Survey: sv.ID,
			Target: strconv.FormatInt(old.Seed, 10), Note: "重新抽样前作废原方案的访问码"},
			map[string]any{"seed": old.Seed, "live_codes": len(im.Codes)},
			map[string]any{"voided": n, "shared": im.Shared, "onetime": im.OneTime, "schools": im.Schools}); err != nil {
			return nil, err
		}
	}
	if err := s.store.SavePlan(ctx, sv.ID, a.Name(), p); err != nil {
		return nil, From(err)
	}
	after := map[string]any{"seed": p.Seed, "total": p.Total, "by_group": p.ByGroup, "schools": len(p.Schools),
		"expected_se": p.ExpectedSE, "expected_pass_probability": p.ExpectedPassProbability}
	return p, s.Record(ctx, a, account.ActSurveyPlan, Scope{County: sv.County, Survey: sv.ID, Target: strconv.FormatInt(p.Seed, 10)}, nil, after)
}

// IssuePlanCodes issues one shared code per quota of the stored plan, once
// per plan.
func (s *Service) IssuePlanCodes(ctx context.Context, a Actor, id string) (int, error) {
	sv, err := s.Survey(ctx, a, id, account.ManageCodes)
	if err != nil {
		return 0, err
	}
	if err := issuable(sv, s.now()); err != nil {
		return 0, err
	}
	p, err := s.store.Plan(ctx, sv.ID)
	if errors.Is(err, survey.ErrNotFound) {
		return 0, Errorf(Conflict, "请先抽取样本")
	}
	if err != nil {
		return 0, From(err)
	}
	existing, err := s.store.Codes(ctx, sv.ID)
	if err != nil {
		return 0, From(err)
	}
	for i := range existing {
		if k := &existing[i]; k.Kind == survey.SharedCode && liveInPlan(k) {
			return 0, Errorf(Conflict, "本调查已有共享码，按方案发放只能进行一次（避免配额重复）")
		}
	}
	var codes []survey.Code
	for _, sp := range p.CodeSpecs() {
		batch, err := sp.Issue(sv.ID, s.now())
		if err != nil {
			return 0, Wrap(Invalid, err)
		}
		codes = append(codes, batch...)
	}
	if err := s.store.InsertCodes(ctx, codes); err != nil {
		return 0, From(err)
	}
	s.changed(sv.ID, CodesIssued)
	return len(codes), s.Record(ctx, a, account.ActCodesIssue, Scope{County: sv.County, Survey: sv.ID, Target: "抽样方案", Note: "按抽样方案发放共享码"},
		nil, map[string]any{"seed": p.Seed, "shared_codes": len(codes), "total_quota": p.Total})
}
