package reporting

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"renke/report"
	"renke/report/render"
	"renke/survey"
)

// BuildFunc builds one survey's report: Build, or a Cache's Build.
type BuildFunc func(ctx context.Context, st Source, surveyID string) (*report.Published, error)

// ErrNoSurveys means the city view found no survey in the counties asked for.
var ErrNoSurveys = errors.New("没有找到任何调查")

// CityRows builds the report of every survey of the counties given (nil: of
// every county) for the city view. A survey whose report cannot be built (a
// broken record) gets a row saying why instead of stopping the others; one
// without valid responses gets its row without an estimate.
func CityRows(ctx context.Context, st Source, counties []string, build BuildFunc) ([]render.CityRow, error) {
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
func cityRow(ctx context.Context, st Source, sv survey.Survey, build BuildFunc) (render.CityRow, error) {
	p, err := build(ctx, st, sv.ID)
	if err != nil {
		if ctx.Err() != nil {
			return render.CityRow{}, ctx.Err()
		}
		if errors.Is(err, survey.ErrUnavailable) {
			return render.CityRow{}, err
		}
		return render.CityRow{SurveyID: sv.ID, County: sv.County, Title: sv.Title, Status: sv.Status,
			Problem: "无法生成报告：" + err.Error()}, nil
	}
	row, err := render.NewCityRow(p)
	if err != nil {
		return render.CityRow{}, fmt.Errorf("survey %s: %w", sv.ID, err)
	}
	return row, nil
}
