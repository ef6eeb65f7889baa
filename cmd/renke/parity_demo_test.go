package main

// Door parity of the demo: `renke demo` makes its survey through the
// application layer, so its audit trail has the same actions, before and
// after as the same steps taken by a coordinator at the console and the API.

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"renke/account"
	"renke/demo"
	"renke/survey"
)

// trailShape is a survey's audit trail, oldest first, as what must match
// across doors: action and the keys of before and after.
func trailShape(entries []account.Entry) []auditShape {
	out := make([]auditShape, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		out = append(out, auditShape{Action: e.Action, Before: keys(e.Before), After: keys(e.After)})
	}
	// Code batches issued at one moment may be listed in any order; their
	// shapes are alike, so sorting by action keeps the comparison exact.
	slices.SortStableFunc(out, func(a, b auditShape) int { return strings.Compare(string(a.Action), string(b.Action)) })
	return out
}

func TestDemoDoorParity(t *testing.T) {
	p := newParityEnv(t)
	ctx := context.Background()
	var out bytes.Buffer
	stdout = &out
	err := runDemo(ctx, append([]string{"--seed", "5"}, p.cliArgs...))
	stdout = os.Stdout
	if err != nil {
		t.Fatalf("renke demo: %v\n%s", err, out.String())
	}
	id := demo.SurveyID(5)
	if !strings.Contains(out.String(), id) {
		t.Fatalf("renke demo does not name its survey %s:\n%s", id, out.String())
	}
	sv, err := p.st.Survey(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := p.st.Plan(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	demoTrail := p.trail(t, id)
	for _, e := range demoTrail {
		if e.Actor != demo.Actor {
			t.Errorf("demo audit entry %s signed %q, want %q", e.Action, e.Actor, demo.Actor)
		}
	}
	batches := demo.Batches(plan)
	want := map[account.Action]int{account.ActSurveyCreate: 1, account.ActSurveyFrame: 1, account.ActSurveyPlan: 1,
		account.ActCodesIssue: len(batches), account.ActSurveyOpen: 1}
	got := map[account.Action]int{}
	for _, e := range demoTrail {
		got[e.Action]++
	}
	if len(got) != len(want) || got[account.ActSurveyCreate] != 1 || got[account.ActSurveyFrame] != 1 ||
		got[account.ActSurveyPlan] != 1 || got[account.ActCodesIssue] != len(batches) || got[account.ActSurveyOpen] != 1 {
		t.Fatalf("demo audit trail: %v, want %v (one entry per code batch)", got, want)
	}
	codes, err := p.st.Codes(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if c.OutOfPlan != "" {
			t.Errorf("demo code %s issued out of plan: %q", c.Code, c.OutOfPlan)
		}
	}

	ref := trailShape(demoTrail)
	for _, d := range []door{consoleDoor(t, p), apiDoor(t, p)} {
		t.Run(d.name, func(t *testing.T) {
			o := d.createSurvey(t, demo.CountyName, sv.Opens, sv.Closes)
			if !o.ok || o.id == "" {
				t.Fatalf("create survey: %+v", o)
			}
			steps := []func() outcome{
				func() outcome { return d.frame(t, o.id, demo.Frame()) },
				func() outcome { return d.draw(t, o.id, plan.Seed, false) },
			}
			for _, in := range batches {
				steps = append(steps, func() outcome { return d.issue(t, o.id, in) })
			}
			steps = append(steps, func() outcome { return d.open(t, o.id) })
			for i, step := range steps {
				if r := step(); !r.ok {
					t.Fatalf("step %d refused: %s", i, r.msg)
				}
			}
			if got := trailShape(p.trail(t, o.id)); !slices.EqualFunc(got, ref, func(a, b auditShape) bool {
				return a.Action == b.Action && slices.Equal(a.Before, b.Before) && slices.Equal(a.After, b.After)
			}) {
				t.Errorf("audit trail at %s:\n%+v\nby renke demo:\n%+v", d.name, got, ref)
			}
			other, err := p.st.Survey(ctx, o.id)
			if err != nil {
				t.Fatal(err)
			}
			if other.Status != survey.Open || sv.Status != survey.Open {
				t.Errorf("status at %s %s, by the demo %s", d.name, other.Status, sv.Status)
			}
		})
	}
}
