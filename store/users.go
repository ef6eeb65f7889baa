package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/account"
	"renke/survey"
)

const colUsers = "users"

func init() {
	addIndexes(colUsers, index{name: "name", keys: bson.D{{Key: "name", Value: 1}}, unique: true})
}

// CreateUser inserts a user; survey.ErrDuplicate when the name is taken.
func (s *Store) CreateUser(ctx context.Context, u *account.User) error {
	if _, err := s.db.Collection(colUsers).InsertOne(ctx, u); err != nil {
		return fmt.Errorf("create user %s: %w", u.Name, classify(err))
	}
	return nil
}

// User returns a user by id; survey.ErrNotFound when there is none.
func (s *Store) User(ctx context.Context, id string) (*account.User, error) {
	var u account.User
	if err := s.db.Collection(colUsers).FindOne(ctx, bson.M{"_id": id}).Decode(&u); err != nil {
		return nil, fmt.Errorf("user %s: %w", id, classify(err))
	}
	return &u, nil
}

// UserByName returns a user by login name (normalised); survey.ErrNotFound when there is none.
func (s *Store) UserByName(ctx context.Context, name string) (*account.User, error) {
	var u account.User
	if err := s.db.Collection(colUsers).FindOne(ctx, bson.M{"name": account.NormalizeName(name)}).Decode(&u); err != nil {
		return nil, fmt.Errorf("user %q: %w", name, classify(err))
	}
	return &u, nil
}

// Users lists every user by name.
func (s *Store) Users(ctx context.Context) ([]account.User, error) {
	cur, err := s.db.Collection(colUsers).Find(ctx, bson.M{}, options.Find().SetSort(bson.D{{Key: "name", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list users: %w", classify(err))
	}
	out := []account.User{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list users: %w", classify(err))
	}
	return out, nil
}

// UpdateUser replaces a user, but only if it was not changed since it was
// read (its Updated time is still prev), so two admins cannot overwrite each other.
func (s *Store) UpdateUser(ctx context.Context, u *account.User, prev account.User) error {
	res, err := s.db.Collection(colUsers).ReplaceOne(ctx, bson.M{"_id": u.ID, "updated": prev.Updated}, u)
	if err != nil {
		return fmt.Errorf("update user %s: %w", u.Name, classify(err))
	}
	if res.MatchedCount == 0 {
		return fmt.Errorf("update user %s: %w (changed by someone else meanwhile)", u.Name, survey.ErrNotFound)
	}
	return nil
}

// CountUsers counts the users with role r ("" for all).
func (s *Store) CountUsers(ctx context.Context, r account.Role) (int64, error) {
	filter := bson.M{}
	if r != "" {
		filter["role"] = r
	}
	n, err := s.db.Collection(colUsers).CountDocuments(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", classify(err))
	}
	return n, nil
}
