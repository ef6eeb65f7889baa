package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/account"
)

const colCounties = "counties"

func init() {
	addIndexes(colCounties, index{name: "code", keys: bson.D{{Key: "code", Value: 1}}, unique: true})
}

// CreateCounty registers a county; survey.ErrDuplicate when its name or code is taken.
func (s *Store) CreateCounty(ctx context.Context, c *account.County) error {
	if _, err := s.db.Collection(colCounties).InsertOne(ctx, c); err != nil {
		return fmt.Errorf("create county %s: %w", c.Name, classify(err))
	}
	return nil
}

// County returns a county by name; survey.ErrNotFound when it is not registered.
func (s *Store) County(ctx context.Context, name string) (*account.County, error) {
	var c account.County
	if err := s.db.Collection(colCounties).FindOne(ctx, bson.M{"_id": name}).Decode(&c); err != nil {
		return nil, fmt.Errorf("county %s: %w", name, classify(err))
	}
	return &c, nil
}

// Counties lists the registered counties by code; names limits them to those
// names when not nil.
func (s *Store) Counties(ctx context.Context, names []string) ([]account.County, error) {
	filter := bson.M{}
	if names != nil {
		filter["_id"] = bson.M{"$in": names}
	}
	cur, err := s.db.Collection(colCounties).Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "code", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list counties: %w", classify(err))
	}
	out := []account.County{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("list counties: %w", classify(err))
	}
	return out, nil
}
