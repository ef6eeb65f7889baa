// Package account holds the console's domain: users, roles and what each role
// may do, counties, password hashing and audit entries. It knows nothing of
// HTTP or storage.
package account

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user is allowed to do.
type Role string

// The three roles.
const (
	Admin       Role = "admin"       // manages counties, users and everything
	Coordinator Role = "coordinator" // runs the surveys of assigned counties
	Evaluator   Role = "evaluator"   // reads and downloads reports of assigned counties
)

// Roles lists the roles in display order.
var Roles = []Role{Admin, Coordinator, Evaluator}

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "管理员"
	case Coordinator:
		return "调查协调员"
	case Evaluator:
		return "评估人员"
	}
	return fmt.Sprintf("未知角色“%s”", string(r))
}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r == Admin || r == Coordinator || r == Evaluator }

// ParseRole parses a role code.
func ParseRole(s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !r.Valid() {
		return "", fmt.Errorf("未知角色 %q（应为 admin、coordinator 或 evaluator）", s)
	}
	return r, nil
}

// Permission is one kind of action in the console.
type Permission string

// The console's permissions.
const (
	ManageUsers       Permission = "users.manage"       // create users, change roles and counties
	ManageCounties    Permission = "counties.manage"    // create counties
	ViewAuditLog      Permission = "audit.view_all"     // read the whole audit log
	ViewSurvey        Permission = "survey.view"        // see a survey, its settings and its audit trail
	CreateSurvey      Permission = "survey.create"      // create a survey in a county
	EditSurvey        Permission = "survey.edit"        // change weights and scoring while a draft
	RunSurvey         Permission = "survey.run"         // open and close a survey
	ManageCodes       Permission = "codes.manage"       // issue and list access codes (they are bearer tokens)
	ViewProgress      Permission = "progress.view"      // quota fill and responses per hour
	ViewReports       Permission = "reports.view"       // reports and raw exports
	OverrideExclusion Permission = "exclusion.override" // record an exclusion override with a reason
	PurgePersonal     Permission = "personal.purge"     // remove respondents' personal fields from an ended survey (admins)
)

var grants = map[Role][]Permission{
	Coordinator: {ViewSurvey, CreateSurvey, EditSurvey, RunSurvey, ManageCodes, ViewProgress},
	Evaluator:   {ViewSurvey, ViewProgress, ViewReports, OverrideExclusion},
}

// Can reports whether the role grants p. Admins may do everything.
func (r Role) Can(p Permission) bool {
	if r == Admin {
		return true
	}
	return slices.Contains(grants[r], p)
}

// User is a console account. Counties are county names (as surveys name them).
type User struct {
	ID           string    `json:"id" bson:"_id"`
	Name         string    `json:"name" bson:"name"`
	Role         Role      `json:"role" bson:"role"`
	Counties     []string  `json:"counties" bson:"counties"`
	PasswordHash string    `json:"-" bson:"password_hash"`
	Disabled     bool      `json:"disabled" bson:"disabled"`
	Created      time.Time `json:"created" bson:"created"`
	Updated      time.Time `json:"updated" bson:"updated"`
	// PasswordChanged is when the password was last set.
	PasswordChanged time.Time `json:"password_changed" bson:"password_changed"`
	// TOTPSecret is the key of the user's authenticator app, sealed by
	// SealTOTP; empty when the second factor is off. It never leaves the server.
	TOTPSecret string `json:"-" bson:"totp_secret,omitempty"`
}

// userFields is User without its methods, for MarshalJSON.
type userFields User

// MarshalJSON adds whether the second factor is on (never its key).
func (u User) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		userFields
		TwoFactor bool `json:"two_factor"`
	}{userFields(u), u.TwoFactor()})
}

// Sees reports whether the user may see anything of county: admins see every
// county, others only those assigned to them.
func (u *User) Sees(county string) bool {
	return u.Role == Admin || slices.Contains(u.Counties, county)
}

// Can reports whether the user's role grants p (the county is checked by Sees).
func (u *User) Can(p Permission) bool { return !u.Disabled && u.Role.Can(p) }

// VisibleCounties filters names to those the user sees, keeping their order.
func (u *User) VisibleCounties(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if u.Sees(n) {
			out = append(out, n)
		}
	}
	return out
}

// NewUser makes a user with a hashed password after validating every field.
func NewUser(name string, role Role, counties []string, password string, now time.Time) (*User, error) {
	name = NormalizeName(name)
	var errs []error
	if err := ValidateName(name); err != nil {
		errs = append(errs, err)
	}
	if !role.Valid() {
		errs = append(errs, fmt.Errorf("未知角色 %q", role))
	}
	counties = CleanCounties(counties)
	if role != Admin && len(counties) == 0 {
		errs = append(errs, errors.New("协调员和评估人员至少要分配一个区县"))
	}
	if err := ValidatePassword(password, name); err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	now = now.UTC().Truncate(time.Millisecond)
	return &User{ID: NewID(), Name: name, Role: role, Counties: counties, PasswordHash: hash,
		Created: now, Updated: now, PasswordChanged: now}, nil
}

// NormalizeName trims a login name and lower-cases it, so logins ignore case.
func NormalizeName(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// ValidateName checks a login name: 2–32 letters, digits, '.', '_' or '-'.
func ValidateName(name string) error {
	n := utf8.RuneCountInString(name)
	if n < 2 || n > 32 {
		return fmt.Errorf("用户名应为 2–32 个字符，现在是 %d 个", n)
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '_' && r != '-' {
			return fmt.Errorf("用户名只能包含字母、数字、“.”、“_”和“-”，不能包含“%c”", r)
		}
	}
	return nil
}

// CleanCounties trims county names, drops empty ones and duplicates, and sorts them.
func CleanCounties(in []string) []string {
	out := make([]string, 0, len(in))
	for _, c := range in {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// Assign sets the user's role and counties, validating them as NewUser does.
func (u *User) Assign(role Role, counties []string, now time.Time) error {
	if !role.Valid() {
		return fmt.Errorf("未知角色 %q", role)
	}
	counties = CleanCounties(counties)
	if role != Admin && len(counties) == 0 {
		return errors.New("协调员和评估人员至少要分配一个区县")
	}
	u.Role, u.Counties, u.Updated = role, counties, now.UTC().Truncate(time.Millisecond)
	return nil
}

// SetPassword validates and hashes a new password.
func (u *User) SetPassword(password string, now time.Time) error {
	if err := ValidatePassword(password, u.Name); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	now = now.UTC().Truncate(time.Millisecond)
	u.PasswordHash, u.PasswordChanged, u.Updated = hash, now, now
	return nil
}

// NewID returns a random 80-bit identifier.
func NewID() string {
	b := make([]byte, 10)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}
