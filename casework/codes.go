package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"renke/account"
	"renke/sampling"
	"renke/survey"
)

// IssueInput is what issuing codes takes (form fields, JSON and flags alike).
type IssueInput struct {
	Kind       string `json:"kind"`
	Group      string `json:"group"`
	Band       string `json:"band"`
	School     string `json:"school"`
	SchoolName string `json:"school_name"`
	Township   string `json:"township"`
	Urbanicity string `json:"urbanicity"`
	Quota      int    `json:"quota"`
	Count      int    `json:"count"`
	// OutOfPlan, when not empty, is the reason for issuing outside the
	// sampling plan: the plan's checks are skipped, the reason is audited
	// and listed in the report.
	OutOfPlan string `json:"out_of_plan"`
}

// MaxSharedQuota bounds one shared code's quota.
const MaxSharedQuota = 100000

// Spec checks the input with Chinese messages and makes the domain's spec.
func (in IssueInput) Spec() (survey.IssueSpec, error) {
	var errs []error
	sp := survey.IssueSpec{Kind: survey.CodeKind(in.Kind), Group: survey.Group(in.Group), Band: survey.Band(in.Band),
		School: survey.School{Code: strings.TrimSpace(in.School), Name: strings.TrimSpace(in.SchoolName),
			Township: strings.TrimSpace(in.Township), Urbanicity: survey.Urbanicity(in.Urbanicity)},
		Urbanicity: survey.Urbanicity(in.Urbanicity), Quota: in.Quota, Count: in.Count}
	if !sp.Group.Valid() {
		errs = append(errs, errors.New("请选择调查对象"))
	} else {
		if sp.Group.ViaSchool() && sp.School.Code == "" {
			errs = append(errs, fmt.Errorf("%s通过学校调查，必须填写学校代码", sp.Group.Label()))
		}
		if sp.Band != "" && !slices.Contains(survey.BandsFor(sp.Group), sp.Band) {
			errs = append(errs, fmt.Errorf("%s没有学段“%s”", sp.Group.Label(), in.Band))
		}
	}
	if sp.School.Urbanicity != "" && !sp.School.Urbanicity.Valid() {
		errs = append(errs, fmt.Errorf("城乡类型“%s”应为城区、镇区或乡村", in.Urbanicity))
	}
	switch sp.Kind {
	case survey.SharedCode:
		if sp.Quota < 1 || sp.Quota > MaxSharedQuota {
			errs = append(errs, fmt.Errorf("共享码的配额应为 1 到 %d", MaxSharedQuota))
		}
		sp.Count = 0
	case survey.OneTimeCode:
		if sp.Count < 1 || sp.Count > survey.MaxBatch {
			errs = append(errs, fmt.Errorf("一次性码的数量应为 1 到 %d", survey.MaxBatch))
		}
		sp.Quota = 0
	default:
		errs = append(errs, errors.New("请选择访问码类型：共享码或一次性码"))
	}
	return sp, errors.Join(errs...)
}

// issuable refuses codes for a survey that has ended.
func issuable(sv *survey.Survey, now time.Time) error {
	if ph := sv.PhaseAt(now).Key; ph == survey.PhaseEnded || ph == survey.PhaseArchived {
		return Errorf(Conflict, "调查已结束，不能再发放访问码")
	}
	return nil
}

// IssueCodes issues the codes in asks for. With a drawn plan they must be for
// the plan's schools, groups and bands and within its quotas, unless in
// gives an out-of-plan reason.
func (s *Service) IssueCodes(ctx context.Context, a Actor, id string, in IssueInput) ([]survey.Code, error) {
	sv, err := s.Survey(ctx, a, id, account.ManageCodes)
	if err != nil {
		return nil, err
	}
	if err := issuable(sv, s.now()); err != nil {
		return nil, err
	}
	sp, err := in.Spec()
	if err != nil {
		return nil, Wrap(Invalid, err)
	}
	reason := strings.TrimSpace(in.OutOfPlan)
	if reason == "" {
		if sp, err = s.checkPlan(ctx, sv.ID, sp); err != nil {
			return nil, err
		}
	}
	if sp.Group.ViaSchool() && sp.School.Urbanicity == "" {
		return nil, Errorf(Invalid, "请选择学校的城乡类型（城区、镇区或乡村），它决定抽样层")
	}
	codes, err := sp.Issue(sv.ID, s.now())
	if err != nil {
		return nil, Wrap(Invalid, err)
	}
	for i := range codes {
		codes[i].OutOfPlan = reason
	}
	if err := s.store.InsertCodes(ctx, codes); err != nil {
		return nil, From(err)
	}
	s.changed(sv.ID, CodesIssued)
	// The tokens are bearer secrets: the log keeps the batch, not the codes.
	after := map[string]any{"batch": codes[0].Batch, "kind": sp.Kind, "group": sp.Group, "band": sp.Band,
		"school": sp.School.Code, "school_name": sp.School.Name, "urbanicity": sp.School.Urbanicity,
		"quota": sp.Quota, "count": len(codes)}
	sc := Scope{County: sv.County, Survey: sv.ID, Target: codes[0].Batch}
	if reason != "" {
		after["out_of_plan"] = reason
		sc.Note = "计划外发放：" + reason
	}
	return codes, s.Record(ctx, a, account.ActCodesIssue, sc, nil, after)
}

// checkPlan refuses a spec outside the survey's plan or beyond its quotas,
// and fills the school's name, township and urbanicity from the plan. A
// survey without a plan takes codes as asked.
func (s *Service) checkPlan(ctx context.Context, id string, sp survey.IssueSpec) (survey.IssueSpec, error) {
	p, err := s.store.Plan(ctx, id)
	if errors.Is(err, survey.ErrNotFound) {
		return sp, nil
	}
	if err != nil {
		return sp, From(err)
	}
	var quotas []sampling.Quota
	if sp.Group.ViaSchool() {
		i := slices.IndexFunc(p.Schools, func(x sampling.SchoolPlan) bool { return x.SchoolCode == sp.School.Code })
		if i < 0 {
			return sp, Errorf(Invalid, "学校“%s”不在本调查的抽样方案中；如确需发放，请注明计划外发放的理由", sp.School.Code)
		}
		sch := &p.Schools[i]
		sp.School = sch.Survey()
		sp.Urbanicity = sch.Urbanicity
		quotas = sch.Quotas
	} else {
		quotas = p.CountyQuotas
	}
	match := func(q sampling.Quota, band bool) bool {
		return q.Group == sp.Group && (!band || sp.Band == "" || q.Band == sp.Band) &&
			(sp.Group.ViaSchool() || sp.Urbanicity == "" || q.Urbanicity == sp.Urbanicity)
	}
	planned := 0
	for _, q := range quotas {
		if match(q, true) {
			planned += q.Quota
		}
	}
	where := sp.Group.Label()
	if sp.School.Name != "" {
		where = sp.School.Name + "的" + where
	}
	if sp.Band != "" {
		where += "（" + sp.Band.Label() + "）"
	}
	if planned == 0 {
		return sp, Errorf(Invalid, "抽样方案中没有%s的样本；如确需发放，请注明计划外发放的理由", where)
	}
	codes, err := s.store.Codes(ctx, id)
	if err != nil {
		return sp, From(err)
	}
	issued := 0
	for i := range codes {
		c := &codes[i]
		if !liveInPlan(c) || c.Group != sp.Group || c.School != sp.School.Code ||
			(sp.Band != "" && c.Band != "" && c.Band != sp.Band) ||
			(!sp.Group.ViaSchool() && sp.Urbanicity != "" && c.Urbanicity != "" && c.Urbanicity != sp.Urbanicity) {
			continue
		}
		if c.Kind == survey.SharedCode {
			issued += c.Quota
		} else {
			issued++
		}
	}
	asked := sp.Quota + sp.Count
	if issued+asked > planned {
		return sp, Errorf(Invalid, "抽样方案中%s的样本量为 %d，已发放 %d，本次 %d 将超出方案；如确需发放，请注明计划外发放的理由",
			where, planned, issued, asked)
	}
	return sp, nil
}
