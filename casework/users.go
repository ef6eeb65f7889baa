package casework

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"renke/account"
	"renke/survey"
)

// NewUser is what creating a user takes; an empty Password is generated.
type NewUser struct {
	Name     string       `json:"name"`
	Role     account.Role `json:"role"`
	Counties []string     `json:"counties"`
	Password string       `json:"password"`
}

// MsgRoleRequired refuses a user without a chosen role (there is no default).
const MsgRoleRequired = "请选择用户的角色（管理员、协调员或评估人员）"

// CreateUser makes a user; the role must be chosen. With no password given
// one is generated and returned (shown once).
func (s *Service) CreateUser(ctx context.Context, a Actor, in NewUser) (*account.User, string, error) {
	if err := require(a, account.ManageUsers); err != nil {
		return nil, "", err
	}
	if in.Role == "" {
		return nil, "", Errorf(Invalid, MsgRoleRequired)
	}
	generated := ""
	if in.Password == "" {
		in.Password = account.GeneratePassword()
		generated = in.Password
	}
	if in.Role == account.Admin {
		in.Counties = nil
	}
	u, err := account.NewUser(in.Name, in.Role, in.Counties, in.Password, s.now())
	if err != nil {
		return nil, "", Wrap(Invalid, err)
	}
	if err := s.checkCounties(ctx, u.Counties); err != nil {
		return nil, "", err
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if errors.Is(err, survey.ErrDuplicate) {
			return nil, "", Errorf(Conflict, "用户名“%s”已被使用", u.Name)
		}
		return nil, "", From(err)
	}
	return u, generated, s.Record(ctx, a, account.ActUserCreate, Scope{Target: u.Name}, nil, u)
}

// checkCounties refuses county names that are not registered.
func (s *Service) checkCounties(ctx context.Context, names []string) error {
	if len(names) == 0 {
		return nil
	}
	found, err := s.store.Counties(ctx, names)
	if err != nil {
		return From(err)
	}
	for _, n := range names {
		if !slices.ContainsFunc(found, func(k account.County) bool { return k.Name == n }) {
			return Errorf(Invalid, "区县“%s”尚未登记", n)
		}
	}
	return nil
}

// RegisterCounty registers a county by name and six-digit code.
func (s *Service) RegisterCounty(ctx context.Context, a Actor, name, code string) (*account.County, error) {
	if err := require(a, account.ManageCounties); err != nil {
		return nil, err
	}
	k, err := account.NewCounty(name, code, s.now())
	if err != nil {
		return nil, Wrap(Invalid, err)
	}
	if err := s.store.CreateCounty(ctx, k); err != nil {
		return nil, From(err) // a name or code registered already: Conflict
	}
	return k, s.Record(ctx, a, account.ActCountyCreate, Scope{County: k.Name, Target: k.Code}, nil, k)
}

// ResetPassword gives user id a generated password, turns their second
// factor off (the usual reason to ask is a lost phone) and ends their
// sessions. It returns the user and the password (shown once).
func (s *Service) ResetPassword(ctx context.Context, a Actor, id string) (*account.User, string, error) {
	if err := require(a, account.ManageUsers); err != nil {
		return nil, "", err
	}
	u, err := s.store.User(ctx, id)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, "", Errorf(NotFound, MsgUserMissing)
	}
	if err != nil {
		return nil, "", From(err)
	}
	prev := *u
	pw := account.GeneratePassword()
	u.TOTPSecret = ""
	if err := u.SetPassword(pw, s.now()); err != nil {
		return nil, "", Wrap(Invalid, err)
	}
	if err := s.store.UpdateUser(ctx, u, prev); err != nil {
		return nil, "", From(err)
	}
	if s.sessions != nil {
		if _, err := s.sessions.EndUserSessions(ctx, u.ID); err != nil {
			return nil, "", From(fmt.Errorf("end sessions of %s: %w", u.Name, err))
		}
	}
	note := "管理员重置"
	if a.User != nil && u.ID == a.User.ID {
		note = "本人修改"
	}
	if prev.TwoFactor() && !u.TwoFactor() {
		note += "，两步验证一并关闭"
	}
	return u, pw, s.Record(ctx, a, account.ActUserPassword, Scope{Target: u.Name, Note: note}, nil, nil)
}

// UserByName finds a user by login name (for the command line).
func (s *Service) UserByName(ctx context.Context, a Actor, name string) (*account.User, error) {
	if err := require(a, account.ManageUsers); err != nil {
		return nil, err
	}
	u, err := s.store.UserByName(ctx, name)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, Errorf(NotFound, "用户“%s”不存在", name)
	}
	if err != nil {
		return nil, From(err)
	}
	return u, nil
}

// UserChange is a change of a user's role, counties or enabled state; a nil
// field is left as it is.
type UserChange struct {
	Role     *account.Role `json:"role"`
	Counties *[]string     `json:"counties"`
	Disabled *bool         `json:"disabled"`
}

// UpdateUser changes user id, conditionally on the copy read. Nobody may
// disable themselves or change their own role; disabling a user ends their
// sessions.
func (s *Service) UpdateUser(ctx context.Context, a Actor, id string, ch UserChange) (*account.User, error) {
	if err := require(a, account.ManageUsers); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, Errorf(NotFound, MsgUserMissing)
	}
	if err != nil {
		return nil, From(err)
	}
	prev := *u
	prev.Counties = slices.Clone(u.Counties)
	role, counties := u.Role, u.Counties
	if ch.Role != nil {
		role = *ch.Role
	}
	if ch.Counties != nil {
		counties = *ch.Counties
	}
	if ch.Disabled != nil {
		u.Disabled = *ch.Disabled
	}
	if err := u.Assign(role, counties, s.now()); err != nil {
		return nil, Wrap(Invalid, err)
	}
	if a.User != nil && u.ID == a.User.ID && (u.Role != prev.Role || u.Disabled) {
		return nil, Errorf(Invalid, "不能停用自己或修改自己的角色，请让另一位管理员操作")
	}
	if u.Role == account.Admin {
		u.Counties = []string{}
	}
	if err := s.checkCounties(ctx, u.Counties); err != nil {
		return nil, err
	}
	u.Updated = survey.TruncateTime(s.now())
	if err := s.store.UpdateUser(ctx, u, prev); err != nil {
		return nil, From(err)
	}
	if u.Disabled && !prev.Disabled && s.sessions != nil {
		if _, err := s.sessions.EndUserSessions(ctx, u.ID); err != nil {
			return nil, From(fmt.Errorf("end sessions of %s: %w", u.Name, err))
		}
	}
	return u, s.Record(ctx, a, account.ActUserUpdate, Scope{Target: u.Name}, prev, u)
}

// AssignCounty adds county to user id's counties.
func (s *Service) AssignCounty(ctx context.Context, a Actor, id, county string) (*account.User, error) {
	if err := require(a, account.ManageUsers); err != nil {
		return nil, err
	}
	u, err := s.store.User(ctx, id)
	if errors.Is(err, survey.ErrNotFound) {
		return nil, Errorf(NotFound, MsgUserMissing)
	}
	if err != nil {
		return nil, From(err)
	}
	counties := append(slices.Clone(u.Counties), county)
	return s.UpdateUser(ctx, a, id, UserChange{Counties: &counties})
}
