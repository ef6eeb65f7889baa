package demo

import (
	"fmt"
	"math"
	"testing"

	"renke/report"
	"renke/survey"
)

// findings runs the default quality rules over a generated county and returns
// its stuffing findings, by rule, as school names.
func findings(t *testing.T, g generated) (map[report.Rule][]string, *report.Quality) {
	t.Helper()
	names := map[string]string{}
	for _, s := range g.plan.Schools {
		names[s.SchoolCode] = s.Name
	}
	rs := make([]survey.Response, len(g.rs))
	for i, r := range g.rs {
		rs[i] = *r
	}
	q, err := report.CheckQuality(rs, report.DefaultQualityConfig())
	if err != nil {
		t.Fatal(err)
	}
	out := map[report.Rule][]string{}
	for _, f := range q.Stuffing.Findings {
		out[f.Rule] = append(out[f.Rule], names[f.School])
	}
	return out, q
}

// Each planted pattern is found in the school that has it, and nowhere else.
func TestStuffingPatternsAreFoundWhereTheyAre(t *testing.T) {
	for _, seed := range []int64{1, 2, 7} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			g := generate(t, seed, fixedNow)
			in := g.injected
			if in.Template < templateMin || in.Proxy != proxyCount || in.Uniform < 10 || in.Sequence < 10 {
				t.Fatalf("injected %+v", in)
			}
			got, q := findings(t, g)
			want := map[report.Rule]string{report.RuleTemplate: in.TemplateSchool, report.RuleProxy: in.ProxySchool,
				report.RuleUniform: in.UniformSchool, report.RuleSequence: in.SequenceSchool}
			// The deputy filling in colleagues' one-time codes on one phone (the
			// repeat-device injection) also used them one after another: the
			// sequence rule finds those sheets among the county lists ("").
			repeated := map[string]bool{}
			for i, d := range q.Decisions {
				for _, r := range d.Flags {
					if r == report.RuleRepeatDevice {
						repeated[g.rs[i].DeviceID] = true
					}
				}
			}
			var seq []string
			for _, f := range q.Stuffing.Findings {
				if f.Rule != report.RuleSequence || f.School != "" {
					continue
				}
				// The run may take in a neighbour from the second address it allows.
				phone := 0
				for _, id := range f.ResponseIDs {
					if r := byID(g, id); r.Group == survey.Deputy && repeated[r.DeviceID] {
						phone++
					}
				}
				if f.Group != survey.Deputy || phone != in.Repeats || f.Count > phone+1 {
					t.Errorf("sequence finding on the county lists: %d sheets, %d of them the phone's %d", f.Count, phone, in.Repeats)
				}
			}
			for _, s := range got[report.RuleSequence] {
				if s != "" {
					seq = append(seq, s)
				}
			}
			got[report.RuleSequence] = seq
			for rule, school := range want {
				if len(got[rule]) != 1 || got[rule][0] != school {
					t.Errorf("%s found at %v, planted at %s", rule, got[rule], school)
				}
			}
			for _, f := range q.Stuffing.Findings {
				t.Logf("%s %s %s n=%d count=%d p=%.3g q=%.3g: %s", f.Rule, f.School, f.Group, f.Responses, f.Count, f.P, f.Q, f.Observed)
				if f.Rule == report.RuleTemplate && f.Count != in.Template {
					t.Errorf("template finding counts %d sheets, %d planted", f.Count, in.Template)
				}
				if f.Rule == report.RuleProxy && f.Count != in.Proxy {
					t.Errorf("proxy finding counts %d sheets, %d planted", f.Count, in.Proxy)
				}
			}
		})
	}
}

func byID(g generated, id string) *survey.Response {
	for _, r := range g.rs {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// cleanCounties is how many simulated counties without injected problems the
// false-flag measurement runs (BENCHMARKS.md).
const cleanCounties = 20

// Over simulated clean counties the stuffing rules flag at most the false
// discoveries the FDR allows: with no pattern anywhere every finding is false,
// and Benjamini–Hochberg then bounds the chance of any finding in a county by
// the FDR (5%), so over 20 counties about one county may show one.
func TestStuffingFalseFlagsInCleanCounties(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 20 counties")
	}
	counties, found, tests := 0, 0, 0
	for k := 0; k < cleanCounties; k++ {
		seed := int64(1000 + k)
		g := generateCounty(t, seed, fixedNow, true)
		got, q := findings(t, g)
		tests += q.Stuffing.Tests
		if len(got) > 0 {
			counties++
		}
		for _, f := range q.Stuffing.Findings {
			found++
			t.Logf("seed %d: %s at %s (%s) n=%d count=%d p=%.3g q=%.3g: %s", seed, f.Rule, f.School, f.Group, f.Responses, f.Count, f.P, f.Q, f.Observed)
		}
	}
	t.Logf("%d clean counties, %d tests: %d counties with a finding, %d findings", cleanCounties, tests, counties, found)
	fdr := report.DefaultQualityConfig().FDR
	if limit := int(math.Ceil(fdr * cleanCounties)); counties > limit {
		t.Errorf("%d of %d clean counties have a stuffing finding; the FDR %.0f%% allows %d", counties, cleanCounties, 100*fdr, limit)
	}
}

// BenchmarkQualityDemoCounty runs every quality rule, the stuffing rules
// included, over the demo county of seed 1 (BENCHMARKS.md).
func BenchmarkQualityDemoCounty(b *testing.B) {
	g := generateCounty(b, 1, fixedNow, false)
	rs := make([]survey.Response, len(g.rs))
	for i, r := range g.rs {
		rs[i] = *r
	}
	for _, cfg := range []struct {
		name string
		cfg  report.QualityConfig
	}{{"all", report.DefaultQualityConfig()}, {"four", func() report.QualityConfig {
		c := report.DefaultQualityConfig()
		c.Template.Enabled, c.Proxy.Enabled, c.Uniform.Enabled, c.Sequence.Enabled = false, false, false, false
		return c
	}()}} {
		b.Run(cfg.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := report.CheckQuality(rs, cfg.cfg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
