package account

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func init() { HashCost = bcrypt.MinCost }

func TestRolePermissions(t *testing.T) {
	all := []Permission{ManageUsers, ManageCounties, ViewAuditLog, ViewSurvey, CreateSurvey, EditSurvey,
		RunSurvey, ManageCodes, ViewProgress, ViewReports, OverrideExclusion}
	want := map[Role]map[Permission]bool{
		Admin: {ManageUsers: true, ManageCounties: true, ViewAuditLog: true, ViewSurvey: true, CreateSurvey: true,
			EditSurvey: true, RunSurvey: true, ManageCodes: true, ViewProgress: true, ViewReports: true, OverrideExclusion: true},
		Coordinator: {ViewSurvey: true, CreateSurvey: true, EditSurvey: true, RunSurvey: true, ManageCodes: true, ViewProgress: true},
		Evaluator:   {ViewSurvey: true, ViewProgress: true, ViewReports: true, OverrideExclusion: true},
	}
	for _, r := range Roles {
		for _, p := range all {
			if got := r.Can(p); got != want[r][p] {
				t.Errorf("%s.Can(%s) = %v, want %v", r, p, got, want[r][p])
			}
		}
	}
	if Role("root").Can(ViewSurvey) {
		t.Error("an unknown role must not be granted anything")
	}
}

func TestUserSeesOnlyAssignedCounties(t *testing.T) {
	u, err := NewUser(" Zhang.San ", Coordinator, []string{"渝中区", " 江北区", "渝中区", ""}, "long-enough-pass", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "zhang.san" {
		t.Errorf("name %q, want trimmed lower case", u.Name)
	}
	if strings.Join(u.Counties, ",") != "江北区,渝中区" {
		t.Errorf("counties %v, want cleaned and sorted", u.Counties)
	}
	if !u.Sees("渝中区") || u.Sees("沙坪坝区") {
		t.Error("coordinator must see exactly the assigned counties")
	}
	if got := u.VisibleCounties([]string{"沙坪坝区", "渝中区"}); len(got) != 1 || got[0] != "渝中区" {
		t.Errorf("VisibleCounties = %v", got)
	}
	admin := &User{Role: Admin}
	if !admin.Sees("沙坪坝区") {
		t.Error("admin sees every county")
	}
	u.Disabled = true
	if u.Can(ViewSurvey) {
		t.Error("a disabled user may do nothing")
	}
}

func TestNewUserErrors(t *testing.T) {
	cases := []struct {
		name, pw, want string
		role           Role
		counties       []string
	}{
		{"a", "long-enough-pass", "2–32", Admin, nil},
		{"bad name", "long-enough-pass", "只能包含", Admin, nil},
		{"ok", "long-enough-pass", "未知角色", Role("boss"), nil},
		{"coord", "long-enough-pass", "至少要分配一个区县", Coordinator, nil},
		{"short", "short", "至少 10 个", Admin, nil},
		{"same", "aaaaaaaaaaaa", "同一个字符", Admin, nil},
		{"wanglei", "xxWangLei2024", "不能包含用户名", Admin, nil},
		{"long", strings.Repeat("ab", 40), "太长", Admin, nil},
	}
	for _, c := range cases {
		_, err := NewUser(c.name, c.role, c.counties, c.pw, time.Now())
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewUser(%q, %q): err %v, want one containing %q", c.name, c.pw, err, c.want)
		}
	}
}

func TestPasswordCheckAndChange(t *testing.T) {
	u, err := NewUser("li", Evaluator, []string{"渝中区"}, "first-password", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(u.PasswordHash, "first-password") || !strings.HasPrefix(u.PasswordHash, "$2") {
		t.Fatalf("hash %q is not a bcrypt hash", u.PasswordHash)
	}
	if err := CheckPassword(u, "first-password"); err != nil {
		t.Errorf("right password refused: %v", err)
	}
	if err := CheckPassword(u, "First-password"); !errors.Is(err, ErrBadPassword) {
		t.Errorf("wrong password: err %v", err)
	}
	if err := CheckPassword(nil, "first-password"); !errors.Is(err, ErrBadPassword) {
		t.Errorf("no user: err %v", err)
	}
	before := u.PasswordChanged
	if err := u.SetPassword("second-password", before.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if CheckPassword(u, "first-password") == nil || CheckPassword(u, "second-password") != nil {
		t.Error("after a change only the new password works")
	}
	if !u.PasswordChanged.After(before) {
		t.Error("PasswordChanged not advanced")
	}
	u.Disabled = true
	if CheckPassword(u, "second-password") == nil {
		t.Error("a disabled user must not log in")
	}
	b, _ := json.Marshal(u)
	if strings.Contains(string(b), u.PasswordHash) {
		t.Error("the password hash must never be marshalled to JSON")
	}
}

func TestGeneratePassword(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 200; i++ {
		p := GeneratePassword()
		if err := ValidatePassword(p, "someone"); err != nil {
			t.Fatalf("generated %q fails validation: %v", p, err)
		}
		if strings.ContainsAny(p, "0O1lI") {
			t.Fatalf("generated %q has a look-alike character", p)
		}
		if seen[p] {
			t.Fatalf("generated %q twice", p)
		}
		seen[p] = true
	}
}

func TestAssign(t *testing.T) {
	u := &User{Name: "x", Role: Coordinator, Counties: []string{"a"}}
	if err := u.Assign(Evaluator, nil, time.Now()); err == nil {
		t.Error("an evaluator without a county must be refused")
	}
	if err := u.Assign(Admin, nil, time.Now()); err != nil || u.Role != Admin {
		t.Errorf("admin without counties: %v", err)
	}
}

func TestCountyValidation(t *testing.T) {
	if _, err := NewCounty("渝中区", "500103", time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]string{{"渝", "500103"}, {"渝中区", "50010"}, {"渝中区", "050103"}, {"a/b", "500103"}} {
		if _, err := NewCounty(c[0], c[1], time.Now()); err == nil {
			t.Errorf("NewCounty(%q, %q) accepted", c[0], c[1])
		}
	}
}

func TestAuditEntry(t *testing.T) {
	u := &User{ID: "u1", Name: "wang", Role: Coordinator}
	e, err := NewEntry(u, ActSurveyWeights, map[string]float64{"parent": 0.5}, map[string]float64{"parent": 0.6}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if e.Actor != "wang" || e.Role != Coordinator || e.Before != `{"parent":0.5}` || e.After != `{"parent":0.6}` {
		t.Errorf("entry %+v", e)
	}
	if _, err := NewEntry(nil, ActLoginFailed, nil, make(chan int), time.Now()); err == nil {
		t.Error("an unmarshallable after must be an error")
	}
	if ActSurveyOpen.Label() != "开放调查" || Action("x.y").Label() != "x.y" {
		t.Error("labels")
	}
}
