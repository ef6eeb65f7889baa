package survey

import "time"

// DefaultRetentionDays is how long after a survey closes the respondents'
// device ids, address hashes and user agents are kept by default.
const DefaultRetentionDays = 180

// Retention is how long after the close personal fields are kept.
func (sv *Survey) Retention() time.Duration {
	days := sv.RetentionDays
	if days <= 0 {
		days = DefaultRetentionDays
	}
	return time.Duration(days) * 24 * time.Hour
}

// Ended says the survey is closed (or archived): no response can follow.
func (sv *Survey) Ended() bool { return sv.Status == Closed || sv.Status == Archived }

// PurgeDue says the survey has ended and its retention has run out at now
// (counted from the later of its scheduled close and its last change).
func (sv *Survey) PurgeDue(now time.Time) bool {
	closed := sv.Closes
	if sv.Updated.After(closed) {
		closed = sv.Updated
	}
	return sv.Ended() && !now.Before(closed.Add(sv.Retention()))
}
