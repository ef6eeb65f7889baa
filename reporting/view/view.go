// Package view hands built reports to the renderers: the render input of one
// survey's report, and the rows of the city view over many surveys. It sits
// between reporting (which reads the store) and report/render (which must
// not).
package view

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"renke/report"
	"renke/report/render"
	"renke/reporting"
	"renke/store"
	"renke/survey"
)

// BuildFunc builds one survey's report: reporting.Build, or a Cache's Build.
type BuildFunc func(ctx context.Context, st *store.Store, surveyID string) (*report.Report, *reporting.Data, error)

// ErrNoSurveys means the city view found no survey in the counties asked for.
var ErrNoSurveys = errors.New("没有找到任何调查")

// Input is the renderers' view of a built report; rep may be nil when the
// survey has no valid response (d is then still given).
func Input(rep *report.Report, d *reporting.Data) *render.Input {
	in := &render.Input{Report: rep}
	if rep == nil {
		in.NoData = report.ErrNoData.Error()
	}
	if d != nil {
		in.Survey, in.Frame, in.Plan = d.Survey, d.Frame, d.Plan
		in.Responses, in.Quality, in.ChainError, in.Audit = d.Responses, d.Quality, d.ChainError, d.Audit
		in.AuditChain, in.Unaudited = d.AuditChain, d.Unaudited
		in.Generated, in.Version = d.Generated, d.Version
	}
	return in
}

// CityRows builds the report of every survey of the counties given (nil: of
// every county) for the city view. A survey whose report cannot be built (no
// valid response yet, a broken record) gets a row saying why instead of
// stopping the others.
func CityRows(ctx context.Context, st *store.Store, counties []string, build BuildFunc) ([]render.CityRow, error) {
	svs, err := st.Surveys(ctx, counties)
	if err != nil {
		return nil, err
	}
	if len(svs) == 0 {
		return nil, ErrNoSurveys
	}
	// Surveys are built side by side, one per CPU: a cold city view is
	// dominated by reading each county's responses from the store.
	rows := make([]render.CityRow, len(svs))
	errs := make([]error, len(svs))
	sem := make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	var wg sync.WaitGroup
	for i := range svs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			rows[i], errs[i] = cityRow(ctx, st, svs[i], build)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// cityRow is one survey's row of the city view; an error is returned only
// when the whole view must fail (the store unavailable, the request ended).
func cityRow(ctx context.Context, st *store.Store, sv survey.Survey, build BuildFunc) (render.CityRow, error) {
	rep, d, err := build(ctx, st, sv.ID)
	if err != nil && !(errors.Is(err, report.ErrNoData) && d != nil) {
		if ctx.Err() != nil {
			return render.CityRow{}, ctx.Err()
		}
		if errors.Is(err, survey.ErrUnavailable) {
			return render.CityRow{}, err
		}
		return render.CityRow{SurveyID: sv.ID, County: sv.County, Title: sv.Title, Status: sv.Status,
			Problem: "无法生成报告：" + err.Error()}, nil
	}
	row, err := render.NewCityRow(Input(rep, d))
	if err != nil {
		return render.CityRow{}, fmt.Errorf("survey %s: %w", sv.ID, err)
	}
	return row, nil
}
