package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// colTOTPMarks holds, per user, the last authenticator time step used to
// log in: {_id: user id, step, at}.
const colTOTPMarks = "totp_marks"

// UseTOTPStep marks the authenticator time step step as used by the user
// and reports whether it was fresh: false when this step or a later one was
// already used. The mark is kept in the store, so it outlives a restart, and
// it only moves forward, so once a code was used the codes of earlier steps
// (still within the clock-drift window) are refused too.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64, now time.Time) (bool, error) {
	res, err := s.db.Collection(colTOTPMarks).UpdateOne(ctx,
		bson.M{"_id": userID, "step": bson.M{"$lt": step}},
		bson.M{"$set": bson.M{"step": step, "at": now.UTC()}},
		options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// The user has a mark at this step or later: the upsert collided with it.
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mark authenticator step of %s: %w", userID, classify(err))
	}
	return res.ModifiedCount+res.UpsertedCount > 0, nil
}
