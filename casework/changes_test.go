package casework_test

import (
	"context"
	"slices"
	"testing"

	"renke/casework"
	"renke/demo"
	"renke/survey"
)

// TestChangesAreTold checks that the caches beside the store hear of each
// change a use case makes (and of nothing a refused one tried), whichever
// door called it: the server's survey and code caches and its progress
// figures rely on it.
func TestChangesAreTold(t *testing.T) {
	f := newSurveyFixture(t)
	ctx, app, op, id := context.Background(), f.app, f.op, f.sv.ID
	var heard []casework.Change
	app.OnChange(func(ch casework.Change) { heard = append(heard, ch) })
	expect := func(step string, want ...casework.ChangeKind) {
		t.Helper()
		var got []casework.ChangeKind
		for _, ch := range heard {
			if ch.SurveyID != id {
				t.Errorf("%s: told of survey %q, want %q", step, ch.SurveyID, id)
			}
			got = append(got, ch.Kind)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: told %v, want %v", step, got, want)
		}
		heard = nil
	}
	if _, err := app.SetGroupWeights(ctx, op, id, f.sv.GroupWeights); err != nil {
		t.Fatal(err)
	}
	expect("weights", casework.SurveyChanged)
	if _, err := app.SaveFrame(ctx, op, id, demo.Frame()); err != nil {
		t.Fatal(err)
	}
	seed := int64(5)
	if _, err := app.DrawPlan(ctx, op, id, casework.PlanInput{Seed: &seed}); err != nil {
		t.Fatal(err)
	}
	expect("frame and first plan")
	if _, err := app.IssuePlanCodes(ctx, op, id); err != nil {
		t.Fatal(err)
	}
	expect("plan's codes", casework.CodesIssued)
	if _, err := app.DrawPlan(ctx, op, id, casework.PlanInput{Seed: &seed}); err == nil {
		t.Fatal("an unconfirmed redraw after codes was accepted")
	}
	expect("unconfirmed redraw")
	if _, err := app.DrawPlan(ctx, op, id, casework.PlanInput{Seed: &seed, VoidCodes: true}); err != nil {
		t.Fatal(err)
	}
	expect("confirmed redraw", casework.CodesVoided)
	if _, err := app.ChangeStatus(ctx, op, id, survey.Open); err != nil {
		t.Fatal(err)
	}
	expect("open", casework.SurveyChanged)
	if _, err := app.ChangeStatus(ctx, op, id, survey.Open); err == nil {
		t.Fatal("opening an open survey was accepted")
	}
	expect("open again")
}
