package demo

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"renke/account"
	"renke/casework"
	"renke/sampling"
	"renke/store"
	"renke/survey"
)

// Title is the demo survey's title; it says the data are not real.
const Title = CountyName + "义务教育优质均衡发展社会认可度调查（演示数据）"

// Actor signs what the demo stores (frames, plans, audit entries).
const Actor = "renke demo"

// Demo console accounts.
const (
	AdminName       = "demo-admin"
	CoordinatorName = "demo-coordinator"
	EvaluatorName   = "demo-evaluator"
)

// operator is the demo acting through the application layer: its users,
// county and audit entries are written there, signed Actor.
func operator() casework.Actor {
	return casework.Actor{User: &account.User{Name: Actor, Role: account.Admin}}
}

// service is the application layer on st with a clock the demo sets to the
// time of each backdated step.
type service struct {
	*casework.Service
	at time.Time
}

func newService(st *store.Store) *service {
	s := &service{Service: casework.New(st, nil, nil)}
	s.SetClock(func() time.Time { return s.at })
	return s
}

// oneTime lists the groups reached through county-wide name lists: the demo
// gives each listed person a one-time code instead of a shared code, one code
// per place of the plan's quota.
var oneTime = map[survey.Group]bool{survey.Principal: true, survey.Deputy: true, survey.CPPCC: true}

// Options configure Run.
type Options struct {
	Seed   int64     // draws the plan and the responses
	Now    time.Time // the demo's present; zero means time.Now()
	Secret []byte    // the server's key for address hashes (config.Secret)
	Users  bool      // create the demo console accounts
}

// Login is a demo console account. Password is empty when the account
// existed already (its password was printed when it was made).
type Login struct {
	Name     string       `json:"name"`
	Role     account.Role `json:"role"`
	Password string       `json:"password,omitempty"`
}

// Result says what Run made or found.
type Result struct {
	SurveyID  string   `json:"survey_id"`
	Present   bool     `json:"present"` // the demo of this seed was there already: nothing was added
	Schools   int      `json:"schools"` // drawn schools
	Codes     int      `json:"codes"`
	Quota     int      `json:"quota"` // places: shared quotas plus one-time codes
	Responses int64    `json:"responses"`
	TryCode   string   `json:"try_code"` // a shared parent code with room left, to try on a phone
	Logins    []Login  `json:"logins"`
	Injected  Injected `json:"injected"` // only when the demo was made by this run
}

// SurveyID is the demo survey's id for a seed: the marker by which a later
// run finds the demo an earlier run made.
func SurveyID(seed int64) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("renke demo survey %d", seed)))
	return "demo" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:8]))[:12]
}

// Run makes the demo county's survey in st, unless the survey of this seed is
// there already; either way it makes the county and (with opt.Users) the
// demo accounts when they are missing.
func Run(ctx context.Context, st *store.Store, opt Options) (*Result, error) {
	now := survey.TruncateTime(opt.Now)
	if opt.Now.IsZero() {
		now = survey.TruncateTime(time.Now())
	}
	res := &Result{SurveyID: SurveyID(opt.Seed)}
	sv, err := st.Survey(ctx, res.SurveyID)
	switch {
	case err == nil && sv.Status == survey.Draft:
		return nil, fmt.Errorf("演示调查 %s 已存在但上次生成未完成（被中断？）：请换一个数据目录或换一个 --seed", sv.ID)
	case err == nil:
		res.Present = true
		if err := describe(ctx, st, res); err != nil {
			return nil, err
		}
	case errors.Is(err, survey.ErrNotFound):
		if err := create(ctx, st, opt, now, res); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("look for the demo survey: %w", err)
	}
	if err := ensureCounty(ctx, st, now); err != nil {
		return nil, err
	}
	if opt.Users {
		if res.Logins, err = ensureUsers(ctx, st, now); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// create makes the survey, frame, plan, codes and responses through the
// application layer, as an operator would at the console, each step audited
// at its time on the demo's timeline (signed Actor). The survey is a draft
// until it is opened last, so an interrupted run is recognised. The
// simulated answers are stored as respondents' answers are.
func create(ctx context.Context, st *store.Store, opt Options, now time.Time, res *Result) error {
	frame := Frame()
	if err := frame.Validate(); err != nil {
		return fmt.Errorf("demo frame: %w", err)
	}
	seed := opt.Seed
	app, op := newService(st), operator()
	opens := now.Add(-10 * 24 * time.Hour)
	app.at = opens.Add(-2 * 24 * time.Hour)
	sv, err := app.CreateSurvey(ctx, op, casework.NewSurvey{ID: res.SurveyID, Seed: seed, County: CountyName, Title: Title,
		Opens: opens, Closes: now.Add(20 * 24 * time.Hour)})
	if err != nil {
		return fmt.Errorf("demo survey: %w", err)
	}
	app.at = sv.Created.Add(time.Hour)
	if _, err := app.SaveFrame(ctx, op, sv.ID, frame); err != nil {
		return fmt.Errorf("demo frame: %w", err)
	}
	app.at = sv.Created.Add(2 * time.Hour)
	plan, err := app.DrawPlan(ctx, op, sv.ID, casework.PlanInput{Seed: &seed})
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	app.at = sv.Opens.Add(-24 * time.Hour)
	var codes []survey.Code
	for _, in := range Batches(plan) {
		batch, err := app.IssueCodes(ctx, op, sv.ID, in)
		if err != nil {
			return fmt.Errorf("issue demo codes (%s %s): %w", survey.Group(in.Group).Label(), in.School, err)
		}
		codes = append(codes, batch...)
	}
	responses, injected := Generate(sv, plan, codes, seed, now, opt.Secret)
	used := map[string]int64{}
	for _, r := range responses {
		// One at a time, in submission order, so the chain is the same on every run.
		if err := st.AppendResponse(ctx, r); err != nil {
			return fmt.Errorf("store demo response %s: %w", r.ID, err)
		}
		used[r.Code]++
	}
	app.at = sv.Opens
	if _, err := app.ChangeStatus(ctx, op, sv.ID, survey.Open); err != nil {
		return fmt.Errorf("open the demo survey: %w", err)
	}
	res.Schools, res.Codes, res.Responses, res.Injected = len(plan.Schools), len(codes), int64(len(responses)), injected
	res.Quota, res.TryCode = places(codes), tryCode(codes, used)
	return nil
}

// specs are the code batches of a plan, in plan order: shared codes with
// their quotas for students, parents, teachers and the public, and one
// one-time code per place for principals, deputies and CPPCC members, and
// for the parents of one school (sequenceSchool) that hands out one-time codes.
func specs(plan *sampling.Plan) []survey.IssueSpec {
	var out []survey.IssueSpec
	seq := sequenceSchool(plan)
	for _, sp := range plan.CodeSpecs() {
		if oneTime[sp.Group] || (sp.Group == survey.Parent && sp.School.Code != "" && sp.School.Code == seq) {
			sp.Kind, sp.Count, sp.Quota = survey.OneTimeCode, sp.Quota, 0
		}
		out = append(out, sp)
	}
	return out
}

// Batches are the demo's code batches of a plan as a coordinator issues
// them (at the console, the JSON API or `renke codes issue`), in plan order.
func Batches(plan *sampling.Plan) []casework.IssueInput {
	var out []casework.IssueInput
	for _, sp := range specs(plan) {
		out = append(out, casework.IssueInput{Kind: string(sp.Kind), Group: string(sp.Group), Band: string(sp.Band),
			School: sp.School.Code, Urbanicity: string(sp.Urbanicity), Quota: sp.Quota, Count: sp.Count})
	}
	return out
}

// Codes issues the demo's codes of a plan without a store (Batches, as
// codes), for tests and benchmarks that build a survey in memory.
func Codes(plan *sampling.Plan, surveyID string, at time.Time) ([]survey.Code, error) {
	var out []survey.Code
	for _, sp := range specs(plan) {
		cs, err := sp.Issue(surveyID, at)
		if err != nil {
			return nil, fmt.Errorf("issue demo codes (%s): %w", sp.Group.Label(), err)
		}
		out = append(out, cs...)
	}
	return out, nil
}

// describe fills res from a demo survey that exists already.
func describe(ctx context.Context, st *store.Store, res *Result) error {
	codes, err := st.Codes(ctx, res.SurveyID)
	if err != nil {
		return err
	}
	used, err := st.CountsByCode(ctx, res.SurveyID)
	if err != nil {
		return err
	}
	if res.Responses, _, err = st.Head(ctx, res.SurveyID); err != nil {
		return err
	}
	if plan, err := st.Plan(ctx, res.SurveyID); err == nil {
		res.Schools = len(plan.Schools)
	} else if !errors.Is(err, survey.ErrNotFound) {
		return err
	}
	res.Codes, res.Quota, res.TryCode = len(codes), places(codes), tryCode(codes, used)
	return nil
}

// places counts the respondents the codes can take.
func places(codes []survey.Code) int {
	n := 0
	for _, c := range codes {
		if c.Kind == survey.SharedCode {
			n += c.Quota
		} else {
			n++
		}
	}
	return n
}

// tryCode picks the shared parent code with the most room left (the first
// such in order), so a visitor's answer from a phone is accepted.
func tryCode(codes []survey.Code, used map[string]int64) string {
	best, room := "", int64(0)
	for _, c := range codes {
		if c.Kind == survey.SharedCode && c.Group == survey.Parent {
			if r := int64(c.Quota) - used[c.Code]; r > room {
				best, room = c.Code, r
			}
		}
	}
	return best
}

// ensureCounty registers the demo county unless it is registered.
func ensureCounty(ctx context.Context, st *store.Store, now time.Time) error {
	_, err := st.County(ctx, CountyName)
	if err == nil {
		return nil
	}
	if !errors.Is(err, survey.ErrNotFound) {
		return err
	}
	app := newService(st)
	app.at = now
	if _, err := app.RegisterCounty(ctx, operator(), CountyName, CountyCode); err != nil {
		if ce := casework.From(err); ce.Kind == casework.Conflict {
			return nil // registered meanwhile by another run
		}
		return fmt.Errorf("demo county: %w", err)
	}
	return nil
}

// ensureUsers makes the demo admin, coordinator and evaluator (the latter
// two assigned the demo county), each with a fresh random password, unless
// they exist.
func ensureUsers(ctx context.Context, st *store.Store, now time.Time) ([]Login, error) {
	app := newService(st)
	app.at = now
	var out []Login
	for _, l := range []Login{{Name: AdminName, Role: account.Admin}, {Name: CoordinatorName, Role: account.Coordinator}, {Name: EvaluatorName, Role: account.Evaluator}} {
		if _, err := st.UserByName(ctx, l.Name); err == nil {
			out = append(out, l)
			continue
		} else if !errors.Is(err, survey.ErrNotFound) {
			return nil, err
		}
		var counties []string
		if l.Role != account.Admin {
			counties = []string{CountyName}
		}
		_, pw, err := app.CreateUser(ctx, operator(), casework.NewUser{Name: l.Name, Role: l.Role, Counties: counties})
		if err != nil {
			if ce := casework.From(err); ce.Kind == casework.Conflict {
				out = append(out, l) // made meanwhile by another run
				continue
			}
			return nil, fmt.Errorf("demo user %s: %w", l.Name, err)
		}
		l.Password = pw
		out = append(out, l)
	}
	return out, nil
}
