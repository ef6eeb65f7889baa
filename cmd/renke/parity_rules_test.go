package main

// The door-parity test of the quality-rule settings: the same change and
// the same out-of-bounds values through the console's form, the JSON API
// and `renke rules set` give the same acceptance or refusal, the same
// Chinese message and the same audit entry (action, actor, before, after).

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"renke/account"
	"renke/casework"
	"renke/demo"
	"renke/report"
)

// settingsDoor changes one survey's rules through one door.
type settingsDoor struct {
	name, actor string
	set         func(t *testing.T, id, key, value string) outcome
}

// rulesForm is the report page's form as it shows rules with key set to value.
func rulesForm(t *testing.T, key, value string) url.Values {
	r := report.SettingsOf(report.DefaultQualityConfig())
	v := url.Values{}
	for _, f := range report.SettingFields() {
		s, _ := r.Get(f.Key)
		if f.Key == key {
			s = value
		}
		if f.Kind != "bool" || s == "true" {
			v.Set(f.Key, s)
		}
	}
	return v
}

func settingsDoors(t *testing.T, p *parityEnv) []settingsDoor {
	console, api := p.login(t), p.login(t)
	kinds := map[string]string{}
	for _, f := range report.SettingFields() {
		kinds[f.Key] = f.Kind
	}
	return []settingsDoor{
		{name: "console", actor: "admin", set: func(t *testing.T, id, key, value string) outcome {
			return console.form(t, "/console/surveys/"+id+"/quality-rules", rulesForm(t, key, value))
		}},
		{name: "api", actor: "admin", set: func(t *testing.T, id, key, value string) outcome {
			var v any = value
			if kinds[key] == "bool" {
				v = value == "true"
			} else if x, err := strconv.ParseFloat(value, 64); err == nil {
				v = x
			}
			o, _ := api.json(t, "PUT", "/api/v1/surveys/"+id+"/quality-rules", map[string]any{key: v})
			return o
		}},
		{name: "cli", actor: casework.CLI().Name(), set: func(t *testing.T, id, key, value string) outcome {
			var out bytes.Buffer
			stdout = &out
			defer func() { stdout = os.Stdout }()
			if err := rulesSet(context.Background(), append([]string{id, key + "=" + value}, p.cliArgs...)); err != nil {
				return outcome{msg: message(err)}
			}
			return outcome{ok: true, out: out.String()}
		}},
	}
}

func TestDoorParitySettings(t *testing.T) {
	p := newParityEnv(t)
	ctx := context.Background()
	app := casework.New(p.st, nil, nil)
	doors := settingsDoors(t, p)
	cases := []struct {
		name, key, value string
		want             string // "" for acceptance, else the refusal's message
	}{
		{"burst limit changed", "burst_max_per_window", "7", ""},
		{"straight-lining excludes", "straightline_exclude", "true", ""},
		{"floor beyond a day", "speeder_floor_seconds", "100000", "答题过快的时间下限应在 0 到 86400 秒之间"},
		{"negative window", "burst_window_minutes", "-5", "集中提交的时间窗应在 0 到 10080 分钟之间"},
		{"burst limit 0", "burst_max_per_window", "0", "集中提交规则：上限 0 应至少为 1"},
		{"median fraction 2", "speeder_median_fraction", "2", "答题过快规则：中位数比例 2 应在 (0, 1] 内"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ref *account.Entry
			msgs := map[string]string{}
			for _, d := range doors {
				now := time.Now()
				sv, err := app.CreateSurvey(ctx, casework.CLI(), casework.NewSurvey{County: demo.CountyName, Opens: now.Add(-time.Hour), Closes: now.Add(24 * time.Hour)})
				if err != nil {
					t.Fatal(err)
				}
				before := len(p.trail(t, sv.ID))
				o := d.set(t, sv.ID, c.key, c.value)
				trail := p.trail(t, sv.ID)
				stored, err := p.st.QualityRules(ctx, sv.ID)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := report.SettingsOf(stored).Get(c.key)
				if c.want != "" {
					if o.ok {
						t.Fatalf("%s: %s=%s accepted", d.name, c.key, c.value)
					}
					if !strings.Contains(o.msg, c.want) {
						t.Errorf("%s: refusal %q does not say %q", d.name, o.msg, c.want)
					}
					msgs[d.name] = o.msg
					if len(trail) != before {
						t.Errorf("%s: a refused change wrote %d audit entries", d.name, len(trail)-before)
					}
					if got == c.value {
						t.Errorf("%s: the refused value was stored", d.name)
					}
					continue
				}
				if !o.ok {
					t.Fatalf("%s: %s=%s refused: %s", d.name, c.key, c.value, o.msg)
				}
				if got != c.value {
					t.Errorf("%s: stored %s=%s, want %s", d.name, c.key, got, c.value)
				}
				if len(trail) != before+1 {
					t.Fatalf("%s: %d audit entries for the change, want 1", d.name, len(trail)-before)
				}
				e := trail[0]
				if e.Action != account.ActQualityRules || e.Actor != d.actor || e.Survey != sv.ID {
					t.Errorf("%s: audited as %s by %s on %s", d.name, e.Action, e.Actor, e.Survey)
				}
				if !strings.Contains(e.After, fmt.Sprintf("%q:%s", c.key, c.value)) {
					t.Errorf("%s: the entry's after does not hold %s=%s: %s", d.name, c.key, c.value, e.After)
				}
				if ref == nil {
					ref = &e
				} else if e.Before != ref.Before || e.After != ref.After {
					t.Errorf("%s: audit before/after\n%s\n%s\nwant (console)\n%s\n%s", d.name, e.Before, e.After, ref.Before, ref.After)
				}
			}
			// The API's message is the layer's own; the console's page and
			// the command line's output carry it word for word.
			for _, d := range doors {
				if c.want != "" && !strings.Contains(msgs[d.name], msgs["api"]) {
					t.Errorf("%s: refusal %q, not the API's %q", d.name, msgs[d.name], msgs["api"])
				}
			}
		})
	}
}

// overrideDoors record an evaluator's decision through each door.
func overrideDoors(t *testing.T, p *parityEnv) map[string]func(t *testing.T, id, response, reason string) outcome {
	console, api := p.login(t), p.login(t)
	return map[string]func(t *testing.T, id, response, reason string) outcome{
		"console": func(t *testing.T, id, response, reason string) outcome {
			return console.form(t, "/console/surveys/"+id+"/overrides", url.Values{"response_id": {response}, "decision": {"exclude"}, "reason": {reason}})
		},
		"api": func(t *testing.T, id, response, reason string) outcome {
			o, _ := api.json(t, "POST", "/api/v1/surveys/"+id+"/overrides", map[string]any{"response_id": response, "exclude": true, "reason": reason})
			return o
		},
		"cli": func(t *testing.T, id, response, reason string) outcome {
			var out bytes.Buffer
			stdout = &out
			defer func() { stdout = os.Stdout }()
			args := append([]string{id, "--response", response, "--decision", "exclude", "--reason", reason}, p.cliArgs...)
			if err := overrideAdd(context.Background(), args); err != nil {
				return outcome{msg: message(err)}
			}
			return outcome{ok: true, out: out.String()}
		},
	}
}

// TestDoorParityOverrides: an exclusion override, and the refusals of one
// naming no response of the survey or giving no reason, alike at every door.
func TestDoorParityOverrides(t *testing.T) {
	p := newParityEnv(t)
	doors := overrideDoors(t, p)
	actors := map[string]string{"console": "admin", "api": "admin", "cli": casework.CLI().Name()}
	msgs := map[string]map[string]string{}
	var ref *auditShape
	for _, name := range []string{"console", "api", "cli"} {
		set := doors[name]
		sv := seedSurvey(t, p.st, demo.CountyName, 3, nil)
		target := sv.ID + "-r0001"
		n := len(p.trail(t, sv.ID))
		for _, c := range []struct{ rule, response, reason, want string }{
			{"unknown response", "nope", "重复作答", "本调查没有编号为“nope”的应答"},
			{"no reason", target, " ", "未填写理由"},
		} {
			o := set(t, sv.ID, c.response, c.reason)
			if o.ok || !strings.Contains(o.msg, c.want) {
				t.Errorf("%s · %s: %+v, want a refusal saying %q", name, c.rule, o, c.want)
			}
			if msgs[c.rule] == nil {
				msgs[c.rule] = map[string]string{}
			}
			msgs[c.rule][name] = strings.ReplaceAll(o.msg, sv.ID, "<survey>") // each door has its own survey
		}
		if got := len(p.trail(t, sv.ID)); got != n {
			t.Errorf("%s: refused overrides wrote %d audit entries", name, got-n)
		}
		if o := set(t, sv.ID, target, "重复作答"); !o.ok {
			t.Fatalf("%s: override refused: %s", name, o.msg)
		}
		e := p.trail(t, sv.ID)[0]
		if e.Action != account.ActExclusion || e.Actor != actors[name] || e.Target != target || e.Note != "重复作答" ||
			e.After != `{"excluded":true,"reason":"重复作答"}` {
			t.Errorf("%s: override audited as %+v", name, e)
		}
		sh := auditShape{Action: e.Action, Before: keys(e.Before), After: keys(e.After), NotePresent: e.Note != ""}
		if ref == nil {
			ref = &sh
		} else if sh.Action != ref.Action || !slices.Equal(sh.Before, ref.Before) || !slices.Equal(sh.After, ref.After) {
			t.Errorf("%s: audit entry %+v, at the console %+v", name, sh, *ref)
		}
	}
	for rule, byDoor := range msgs {
		for name, msg := range byDoor {
			if !strings.Contains(msg, byDoor["api"]) {
				t.Errorf("%s: refusal at %s %q, not the API's %q", rule, name, msg, byDoor["api"])
			}
		}
	}
}
