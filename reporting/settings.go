package reporting

import (
	"context"
	"fmt"
	"strings"

	"renke/account"
	"renke/evidence"
	"renke/report"
)

// CheckSettings compares each stored setting (set) with the hash the newest
// audit entry of the survey's trail (oldest first) that changed it recorded.
func CheckSettings(set *evidence.Settings, trail []account.Entry) []report.SettingCheck {
	out := make([]report.SettingCheck, 0, len(evidence.All))
	for _, w := range evidence.All {
		c := report.SettingCheck{Setting: string(w), Label: w.Label(), Hash: set.Hash(w)}
		for i := len(trail) - 1; i >= 0; i-- {
			if h, ok := trail[i].Settings[string(w)]; ok {
				c.Recorded, c.AuditSeq = h, trail[i].Seq
				break
			}
		}
		c.Changed = c.Recorded != "" && c.Recorded != c.Hash
		out = append(out, c)
	}
	return out
}

// SettingsCheck reads a survey's stored settings and its audit trail and
// checks each setting; err names the settings changed behind renke's back.
func SettingsCheck(ctx context.Context, st Source, surveyID string) ([]report.SettingCheck, error) {
	set, err := st.Settings(ctx, surveyID)
	if err != nil {
		return nil, err
	}
	trail, _, err := Trail(ctx, st, surveyID)
	if err != nil {
		return nil, err
	}
	checks := CheckSettings(set, trail)
	return checks, SettingsError(checks)
}

// SettingsError names the settings whose stored value is not the one the
// audit chain recorded (nil: none).
func SettingsError(checks []report.SettingCheck) error {
	var bad []string
	for _, c := range checks {
		if c.Changed {
			bad = append(bad, fmt.Sprintf("%s changed behind renke's back (stored %.12s…, audit entry seq %d recorded %.12s…)",
				c.Setting, c.Hash, c.AuditSeq, c.Recorded))
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("settings: %s", strings.Join(bad, "; "))
}

// dataSettings are the settings a report computes from: those it loaded,
// and the rest read now.
func dataSettings(ctx context.Context, st Source, d *report.Published) (*evidence.Settings, error) {
	set, err := st.Settings(ctx, d.Survey.ID, evidence.Quality, evidence.Quotas)
	if err != nil {
		return nil, err
	}
	set.Scheme, set.Weights, set.Frame, set.Plan, set.Overrides = d.Survey.Scheme, d.Survey.GroupWeights, d.Frame, d.Plan, d.Overrides
	return set, nil
}
