package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"renke/account"
	"renke/internal/testenv"
	"renke/survey"
)

func TestUsersAndCounties(t *testing.T) {
	account.HashCost = bcrypt.MinCost
	ctx := context.Background()
	s := testenv.Store(t)

	u, err := account.NewUser("Wang", account.Coordinator, []string{"渝中区"}, "a-long-password", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	dup, _ := account.NewUser("wang", account.Admin, nil, "another-password", time.Now())
	if err := s.CreateUser(ctx, dup); !errors.Is(err, survey.ErrDuplicate) {
		t.Errorf("second user named wang: err %v, want ErrDuplicate", err)
	}
	got, err := s.UserByName(ctx, " WANG ")
	if err != nil || got.ID != u.ID || got.PasswordHash != u.PasswordHash || got.Counties[0] != "渝中区" {
		t.Fatalf("UserByName: %+v, %v", got, err)
	}
	if _, err := s.User(ctx, "nobody"); !errors.Is(err, survey.ErrNotFound) {
		t.Errorf("unknown id: err %v", err)
	}

	// Optimistic update: the second writer holding the old copy loses.
	prev := *got
	a, b := *got, *got
	if err := a.Assign(account.Evaluator, []string{"江北区"}, time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateUser(ctx, &a, prev); err != nil {
		t.Fatal(err)
	}
	b.Disabled = true
	b.Updated = b.Updated.Add(2 * time.Second)
	if err := s.UpdateUser(ctx, &b, prev); !errors.Is(err, survey.ErrNotFound) {
		t.Errorf("stale update: err %v, want ErrNotFound", err)
	}
	got, _ = s.User(ctx, u.ID)
	if got.Role != account.Evaluator || got.Disabled {
		t.Errorf("after updates: %+v", got)
	}
	list, err := s.Users(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("Users: %v, %v", list, err)
	}
	if n, err := s.CountUsers(ctx, account.Admin); err != nil || n != 0 {
		t.Errorf("CountUsers(admin) = %d, %v", n, err)
	}

	c1, _ := account.NewCounty("渝中区", "500103", time.Now())
	c2, _ := account.NewCounty("江北区", "500105", time.Now())
	for _, c := range []*account.County{c2, c1} {
		if err := s.CreateCounty(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	sameCode, _ := account.NewCounty("别的区", "500103", time.Now())
	if err := s.CreateCounty(ctx, sameCode); !errors.Is(err, survey.ErrDuplicate) {
		t.Errorf("duplicate code: err %v", err)
	}
	sameName, _ := account.NewCounty("渝中区", "500199", time.Now())
	if err := s.CreateCounty(ctx, sameName); !errors.Is(err, survey.ErrDuplicate) {
		t.Errorf("duplicate name: err %v", err)
	}
	all, err := s.Counties(ctx, nil)
	if err != nil || len(all) != 2 || all[0].Name != "渝中区" {
		t.Fatalf("Counties sorted by code: %+v, %v", all, err)
	}
	some, err := s.Counties(ctx, []string{"江北区"})
	if err != nil || len(some) != 1 || some[0].Code != "500105" {
		t.Fatalf("Counties(江北区): %+v, %v", some, err)
	}
	none, err := s.Counties(ctx, []string{})
	if err != nil || len(none) != 0 {
		t.Fatalf("Counties(empty list) must select none: %+v, %v", none, err)
	}
	if _, err := s.County(ctx, "沙坪坝区"); !errors.Is(err, survey.ErrNotFound) {
		t.Errorf("unknown county: err %v", err)
	}
}
