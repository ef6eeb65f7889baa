package survey

import (
	"fmt"
	"sort"
)

// Option codes on the wire and in exports.
const (
	OptRecognise      = "1" // 认可
	OptRatherAgree    = "2" // 比较认可
	OptBasicallyAgree = "3" // 基本认可
	OptNotRecognise   = "4" // 不认可
	OptDontKnow       = "9" // 不了解
)

// OptionCodes lists the five answers in display order.
var OptionCodes = []string{OptRecognise, OptRatherAgree, OptBasicallyAgree, OptNotRecognise, OptDontKnow}

// DefaultOptionLabels are the default Chinese labels of the five answers.
var DefaultOptionLabels = map[string]string{
	OptRecognise: "认可", OptRatherAgree: "比较认可", OptBasicallyAgree: "基本认可",
	OptNotRecognise: "不认可", OptDontKnow: "不了解",
}

// Scheme maps option codes to scores. A code absent from the map (不了解 by
// default) is an answer that is left out of the denominator.
type Scheme map[string]float64

// DefaultScheme is docs/method.md §3's default: 1, 1, 1, 0, and 不了解 unscored.
func DefaultScheme() Scheme {
	return Scheme{OptRecognise: 1, OptRatherAgree: 1, OptBasicallyAgree: 1, OptNotRecognise: 0}
}

// GradedScheme is the common satisfaction-index scheme 1, 0.8, 0.6, 0.
func GradedScheme() Scheme {
	return Scheme{OptRecognise: 1, OptRatherAgree: 0.8, OptBasicallyAgree: 0.6, OptNotRecognise: 0}
}

// Validate checks that the scheme scores at least two known options, each in [0, 1].
func (s Scheme) Validate() error {
	if len(s) < 2 {
		return fmt.Errorf("scoring scheme must score at least two options, has %d", len(s))
	}
	for code, v := range s {
		if _, ok := DefaultOptionLabels[code]; !ok {
			return fmt.Errorf("scoring scheme: unknown option code %q", code)
		}
		if v < 0 || v > 1 {
			return fmt.Errorf("scoring scheme: score of option %q is %v, want 0..1", code, v)
		}
	}
	return nil
}

// Score returns the score of one answer and whether it counts.
func (s Scheme) Score(code string) (float64, bool) {
	v, ok := s[code]
	return v, ok
}

// RespondentScore is y_i of docs/method.md §3: the mean score of the items answered
// with a scored option. ok is false when no answer was scored.
func (s Scheme) RespondentScore(answers map[string]string) (y float64, ok bool) {
	// Sum in a fixed order so the result is bit-for-bit reproducible.
	keys := make([]string, 0, len(answers))
	for k := range answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sum float64
	n := 0
	for _, k := range keys {
		if v, scored := s[answers[k]]; scored {
			sum += v
			n++
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// DefaultGroupWeights is W_g of docs/method.md §4: parents 1/2, each other group 1/12.
func DefaultGroupWeights() map[Group]float64 {
	w := make(map[Group]float64, len(Groups))
	for _, g := range Groups {
		w[g] = 1.0 / 12
	}
	w[Parent] = 0.5
	return w
}
