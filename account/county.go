package account

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// County is a county (区县) whose surveys the console runs. Its name is its
// identity: surveys and user assignments refer to it by name.
type County struct {
	Name    string    `json:"name" bson:"_id"`
	Code    string    `json:"code" bson:"code"` // six-digit administrative division code
	Created time.Time `json:"created" bson:"created"`
}

var countyCode = regexp.MustCompile(`^[1-9][0-9]{5}$`)

// NewCounty validates a county's name and its six-digit administrative code.
func NewCounty(name, code string, now time.Time) (*County, error) {
	name, code = strings.TrimSpace(name), strings.TrimSpace(code)
	var errs []error
	if n := utf8.RuneCountInString(name); n < 2 || n > 40 {
		errs = append(errs, fmt.Errorf("区县名称应为 2–40 个字符，现在是 %d 个", n))
	} else if strings.ContainsAny(name, "/\\?#%<>\"'") {
		errs = append(errs, errors.New("区县名称不能包含 / \\ ? # % < > 引号等符号"))
	}
	if !countyCode.MatchString(code) {
		errs = append(errs, fmt.Errorf("区县代码 %q 应为 6 位行政区划代码，例如 500101", code))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &County{Name: name, Code: code, Created: now.UTC().Truncate(time.Millisecond)}, nil
}
