package survey

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"
)

// School identifies the sampled school a code belongs to.
type School struct {
	Code       string
	Name       string
	Township   string
	Urbanicity Urbanicity
}

// IssueSpec asks for access codes for one group (and school, and band).
type IssueSpec struct {
	Kind       CodeKind
	Group      Group
	School     School // required for students, parents and teachers
	Band       Band   // shared codes may be per band
	Urbanicity Urbanicity
	Quota      int // shared codes
	Count      int // one-time codes
}

// MaxBatch bounds one batch of one-time codes.
const MaxBatch = 20000

// NewToken returns a random access-code token of 160 bits (32 base32 characters, lower case).
func NewToken() string {
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// NewID returns a random 80-bit identifier for surveys and batches.
func NewID() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// Validate checks the spec before any code is made.
func (sp IssueSpec) Validate() error {
	var errs []error
	if !sp.Group.Valid() {
		errs = append(errs, fmt.Errorf("未知的调查对象“%s”", sp.Group))
	}
	if sp.Group.ViaSchool() && sp.School.Code == "" {
		errs = append(errs, fmt.Errorf("%s通过学校调查，必须填写学校代码", sp.Group.Label()))
	}
	if sp.School.Code != "" && !ValidSchoolCode(sp.School.Code) {
		errs = append(errs, fmt.Errorf("学校代码“%s”无效：%s", sp.School.Code, SchoolCodeRule))
	}
	u := sp.Urbanicity
	if u == "" {
		u = sp.School.Urbanicity
	}
	if u != "" && !u.Valid() {
		errs = append(errs, fmt.Errorf("“%s”不是有效的城乡类型（城区、镇区或乡村）", u))
	}
	if sp.Band != "" {
		ok := false
		for _, b := range BandsFor(sp.Group) {
			ok = ok || b == sp.Band
		}
		if !ok {
			errs = append(errs, fmt.Errorf("%s没有学段“%s”", sp.Group.Label(), sp.Band))
		}
	}
	switch sp.Kind {
	case SharedCode:
		if sp.Quota < 1 {
			errs = append(errs, errors.New("共享码的名额至少为 1"))
		}
	case OneTimeCode:
		if sp.Count < 1 || sp.Count > MaxBatch {
			errs = append(errs, fmt.Errorf("一次性码的数量应为 1 到 %d，收到 %d", MaxBatch, sp.Count))
		}
	default:
		errs = append(errs, fmt.Errorf("未知的访问码类型“%s”（应为共享码 shared 或一次性码 onetime）", sp.Kind))
	}
	return errors.Join(errs...)
}

// Issue makes the codes a spec asks for, for survey sv.
func (sp IssueSpec) Issue(surveyID string, now time.Time) ([]Code, error) {
	if err := sp.Validate(); err != nil {
		return nil, err
	}
	u := sp.Urbanicity
	if u == "" {
		u = sp.School.Urbanicity
	}
	base := Code{SurveyID: surveyID, Kind: sp.Kind, Group: sp.Group, School: sp.School.Code,
		SchoolName: sp.School.Name, Township: sp.School.Township, Urbanicity: u, Band: sp.Band,
		Batch: NewID(), Created: TruncateTime(now)}
	n := 1
	if sp.Kind == OneTimeCode {
		n = sp.Count
	} else {
		base.Quota = sp.Quota
	}
	out := make([]Code, n)
	for i := range out {
		out[i] = base
		out[i].Code = NewToken()
	}
	return out, nil
}

// URL is the address a QR code of c carries.
func (c *Code) URL(publicBase string) string {
	return strings.TrimRight(publicBase, "/") + "/s/" + c.Code
}
