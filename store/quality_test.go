package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"renke/internal/testenv"
	"renke/report"
)

func TestQualityRules(t *testing.T) {
	s := testenv.Store(t)
	ctx := context.Background()
	got, err := s.QualityRules(ctx, "sv1")
	if err != nil || !reflect.DeepEqual(got, report.DefaultQualityConfig()) {
		t.Fatalf("a survey without rules: %+v, %v; want the defaults", got, err)
	}
	rules := report.DefaultQualityConfig()
	rules.Speeder.Floor = 90 * time.Second
	rules.StraightLine.Exclude = true
	rules.Burst = report.BurstRule{Enabled: true, Exclude: true, MaxPerWindow: 8, Window: 5 * time.Minute}
	rules.RepeatDevice.Enabled = false
	if err := s.SetQualityRules(ctx, "sv1", rules, "eval", time.Now()); err != nil {
		t.Fatal(err)
	}
	if got, err := s.QualityRules(ctx, "sv1"); err != nil || !reflect.DeepEqual(got, rules) {
		t.Fatalf("rules read back: %+v, %v; want %+v", got, err, rules)
	}
	if got, _ := s.QualityRules(ctx, "sv2"); !reflect.DeepEqual(got, report.DefaultQualityConfig()) {
		t.Errorf("another survey's rules changed: %+v", got)
	}
	// Bad rules are refused and the stored ones stay.
	bad := rules
	bad.Burst.MaxPerWindow = 0
	if err := s.SetQualityRules(ctx, "sv1", bad, "eval", time.Now()); err == nil {
		t.Fatal("rules with a burst limit of 0 were accepted")
	}
	if got, _ := s.QualityRules(ctx, "sv1"); !reflect.DeepEqual(got, rules) {
		t.Errorf("refused rules changed the stored ones: %+v", got)
	}
}
