package store

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"renke/survey"
)

// colCommitKeys keeps each survey's commitment key ({_id: survey, key}),
// outside its responses: a response's chain hash covers its personal fields
// only through an HMAC under it (survey.FormatV2), so purging the fields
// leaves the chain verifying. The key goes with the purge.
const colCommitKeys = "commit_keys"

// CommitKey returns the survey's commitment key, making it on first use
// when create is set; nil when it has none (never made, or purged).
func (s *Store) CommitKey(ctx context.Context, surveyID string, create bool) ([]byte, error) {
	kc := &s.evidence
	kc.kmu.Lock()
	defer kc.kmu.Unlock()
	if k := kc.keys[surveyID]; k != nil {
		return k, nil
	}
	col := s.db.Collection(colCommitKeys)
	var doc struct {
		Key []byte `bson:"key"`
	}
	err := col.FindOne(ctx, bson.M{"_id": surveyID}).Decode(&doc)
	if errors.Is(err, mongo.ErrNoDocuments) && create {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("make the commitment key of %s: %w", surveyID, err)
		}
		if _, err := col.InsertOne(ctx, bson.M{"_id": surveyID, "key": key}); err != nil && !mongo.IsDuplicateKeyError(err) {
			return nil, fmt.Errorf("store the commitment key of %s: %w", surveyID, classify(err))
		}
		err = col.FindOne(ctx, bson.M{"_id": surveyID}).Decode(&doc) // another replica may have made it first
	}
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the commitment key of %s: %w", surveyID, classify(err))
	}
	if kc.keys == nil {
		kc.keys = map[string][]byte{}
	}
	kc.keys[surveyID] = doc.Key
	return doc.Key, nil
}

// commitPersonal makes r a format-2 record before it is sealed.
func (s *Store) commitPersonal(ctx context.Context, r *survey.Response) error {
	key, err := s.CommitKey(ctx, r.SurveyID, true)
	if err != nil {
		return fmt.Errorf("store response: %w: %w", survey.ErrUnavailable, err)
	}
	r.CommitPersonal(key)
	return nil
}

// PurgeResult says what a purge removed and kept.
type PurgeResult struct {
	Purged int64 `json:"purged"` // format-2 responses whose personal fields were removed
	Kept   int64 `json:"kept"`   // format-1 responses, whose chain hash covers the fields themselves
}

// PurgePersonal removes the device id, address hash and user agent from a
// survey's format-2 responses (and the device id from their uniqueness
// key), keeping answers and everything a report needs, then deletes the
// survey's commitment key (no longer needed: nothing is left to commit to). Format-1 responses keep the fields: removing them
// would break the chain. The caller checks the survey is closed.
func (s *Store) PurgePersonal(ctx context.Context, surveyID string) (PurgeResult, error) {
	var res PurgeResult
	col := s.responses(surveyID)
	cur, err := col.Find(ctx, bson.M{"survey_id": surveyID})
	if err != nil {
		return res, fmt.Errorf("purge %s: %w", surveyID, classify(err))
	}
	defer cur.Close(ctx)
	for cur.Next(ctx) {
		var d responseDoc
		if err := cur.Decode(&d); err != nil {
			return res, fmt.Errorf("purge %s: decode: %w", surveyID, err)
		}
		if d.Format < survey.FormatV2 {
			res.Kept++
			continue
		}
		if d.Purged() {
			continue
		}
		set := bson.M{"addr_hash": "", "ua_family": ""}
		if d.CodeKind != survey.OneTimeCode {
			set["once_key"] = "p:" + d.ID // the device id was part of it; no answer can follow a close
		}
		if _, err := col.UpdateOne(ctx, bson.M{"_id": d.ID}, bson.M{"$set": set, "$unset": bson.M{"device_id": ""}}); err != nil {
			return res, fmt.Errorf("purge response %s: %w", d.ID, classify(err))
		}
		res.Purged++
	}
	if err := cur.Err(); err != nil {
		return res, fmt.Errorf("purge %s: %w", surveyID, classify(err))
	}
	if _, err := s.db.Collection(colCommitKeys).DeleteOne(ctx, bson.M{"_id": surveyID}); err != nil {
		return res, fmt.Errorf("purge %s: delete its commitment key: %w", surveyID, classify(err))
	}
	s.evidence.kmu.Lock()
	delete(s.evidence.keys, surveyID)
	s.evidence.kmu.Unlock()
	return res, nil
}
