package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/survey"
)

// HourCount is the number of responses submitted in one hour.
type HourCount struct {
	Hour  time.Time `json:"hour"` // start of the hour, in the location asked for
	Count int64     `json:"count"`
}

// ResponsesPerHour counts a survey's responses by the hour (in loc) they were
// submitted, from since on (zero: from the first), oldest hour first. Hours
// without responses are left out. It reads only the submission times, through
// the (survey_id, seq) index.
func (s *Store) ResponsesPerHour(ctx context.Context, surveyID string, since time.Time, loc *time.Location) ([]HourCount, error) {
	filter := bson.M{"survey_id": surveyID}
	if !since.IsZero() {
		filter["submitted_at"] = bson.M{"$gte": since}
	}
	cur, err := s.db.Collection(colResponses).Find(ctx, filter,
		options.Find().SetProjection(bson.M{"_id": 0, "submitted_at": 1}).SetBatchSize(5000))
	if err != nil {
		return nil, fmt.Errorf("responses per hour of %s: %w", surveyID, classify(err))
	}
	defer cur.Close(ctx)
	counts := map[time.Time]int64{}
	for cur.Next(ctx) {
		var row struct {
			At time.Time `bson:"submitted_at"`
		}
		if err := cur.Decode(&row); err != nil {
			return nil, fmt.Errorf("responses per hour: decode: %w", err)
		}
		counts[survey.HourStart(row.At, loc)]++
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("responses per hour of %s: %w", surveyID, classify(err))
	}
	out := make([]HourCount, 0, len(counts))
	for h, n := range counts {
		out = append(out, HourCount{Hour: h, Count: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Hour.Before(out[j].Hour) })
	return out, nil
}
