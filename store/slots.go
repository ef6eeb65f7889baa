package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/survey"
)

// colQuotaSlots holds one document per place of a shared code's quota taken
// while Redis was unreachable: {_id: "<code>#<k>"} is the code's k-th
// response. The unique _id lets only one process take a place, so the quota
// holds across replicas that each count in the store on their own.
const colQuotaSlots = "quota_slots"

// ReserveQuotaSlot takes the first free place of code's quota after the
// first known (the responses the caller knows are stored): the k-th place
// for the smallest free k in known+1…quota. It returns survey.ErrQuotaFull
// when none is free. A place taken by another process is skipped, so callers
// whose counts lag are still kept within the quota.
func (s *Store) ReserveQuotaSlot(ctx context.Context, code string, known int64, quota int) (int64, error) {
	col := s.db.Collection(colQuotaSlots)
	for k := known + 1; k <= int64(quota); k++ {
		_, err := col.InsertOne(ctx, bson.M{"_id": slotID(code, k), "code": code, "at": time.Now().UTC()})
		if err == nil {
			return k, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return 0, fmt.Errorf("take a place of quota %s: %w", code, classify(err))
		}
	}
	return 0, survey.ErrQuotaFull
}

// ReleaseQuotaSlot gives back a place whose response was not stored.
func (s *Store) ReleaseQuotaSlot(ctx context.Context, code string, k int64) error {
	if _, err := s.db.Collection(colQuotaSlots).DeleteOne(ctx, bson.M{"_id": slotID(code, k)}); err != nil {
		return fmt.Errorf("give back place %d of quota %s: %w", k, code, classify(err))
	}
	return nil
}

// slotID is the id of place k of code's quota: "<code>#<k>".
func slotID(code string, k int64) string { return slotPrefix(code) + strconv.FormatInt(k, 10) }

// slotPrefix starts the ids of code's places.
func slotPrefix(code string) string { return code + "#" }

// HighestQuotaSlot is the highest place of code's quota taken in the store
// (0 when none): a Redis counter that kept its data through an outage is
// raised to it, since the places every replica took meanwhile end there.
func (s *Store) HighestQuotaSlot(ctx context.Context, code string) (int64, error) {
	cur, err := s.db.Collection(colQuotaSlots).Find(ctx, bson.M{"code": code}, options.Find().SetProjection(bson.M{"_id": 1}))
	if err != nil {
		return 0, fmt.Errorf("read the places of quota %s: %w", code, classify(err))
	}
	var rows []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return 0, fmt.Errorf("read the places of quota %s: %w", code, classify(err))
	}
	var top int64
	for _, r := range rows {
		k, ok := strings.CutPrefix(r.ID, slotPrefix(code))
		n, err := strconv.ParseInt(k, 10, 64)
		if ok && err == nil && n > top {
			top = n
		}
	}
	return top, nil
}
