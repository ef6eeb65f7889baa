package console

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"renke/survey"
)

// When formats a time for people: Asia/Shanghai, minutes; "—" for the zero time.
func When(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(survey.Shanghai).Format("2006-01-02 15:04")
}

// WhenExact formats a time for people to the second: Asia/Shanghai; "—" for the zero time.
func WhenExact(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(survey.Shanghai).Format("2006-01-02 15:04:05")
}

// InputTime formats a time for an <input type="datetime-local"> in Asia/Shanghai.
func InputTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(survey.Shanghai).Format("2006-01-02T15:04")
}

// ParseInputTime reads an <input type="datetime-local"> value in Asia/Shanghai.
func ParseInputTime(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, survey.Shanghai); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("时间 %q 的格式应为 2006-01-02 15:04", s)
}

// Percent formats part/whole as a percentage with one decimal; "—" when whole is 0.
func Percent(part, whole int64) string {
	if whole <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(part)/float64(whole))
}

// Number formats a float for reading: at most four significant digits.
func Number(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// Rate formats a proportion as a percentage with two decimals.
func Rate(v float64) string { return fmt.Sprintf("%.2f%%", 100*v) }

// PathEscape escapes a path segment (county names are Chinese).
func PathEscape(s string) string { return url.PathEscape(s) }
