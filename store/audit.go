package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"renke/account"
)

const colAudit = "audit"

func init() {
	addIndexes(colAudit,
		index{name: "at", keys: bson.D{{Key: "at", Value: -1}}},
		index{name: "county_at", keys: bson.D{{Key: "county", Value: 1}, {Key: "at", Value: -1}}},
		index{name: "survey_at", keys: bson.D{{Key: "survey", Value: 1}, {Key: "at", Value: -1}}},
	)
}

// AppendAudit adds an entry to the audit log. The log is append-only: the
// store offers no way to change or delete an entry.
func (s *Store) AppendAudit(ctx context.Context, e *account.Entry) error {
	if _, err := s.db.Collection(colAudit).InsertOne(ctx, e); err != nil {
		return fmt.Errorf("append audit entry %s: %w", e.Action, classify(err))
	}
	return nil
}

// AuditFilter selects audit entries; empty fields select everything.
type AuditFilter struct {
	County string // entries about this county
	Survey string // entries about this survey
	Actor  string // entries by this user name
	// Counties, when not nil, keeps only entries about these counties.
	Counties []string
	// Before, when set, keeps entries strictly older (for paging).
	Before time.Time
}

// MaxAuditPage bounds one read of the audit log.
const MaxAuditPage = 1000

// Audit returns up to limit entries matching f, newest first (limit is
// capped at MaxAuditPage; 0 means MaxAuditPage). The report package calls it
// with a survey to include that survey's trail.
func (s *Store) Audit(ctx context.Context, f AuditFilter, limit int) ([]account.Entry, error) {
	if limit <= 0 || limit > MaxAuditPage {
		limit = MaxAuditPage
	}
	filter := bson.M{}
	if f.County != "" {
		filter["county"] = f.County
	}
	if f.Survey != "" {
		filter["survey"] = f.Survey
	}
	if f.Actor != "" {
		filter["actor"] = f.Actor
	}
	if f.Counties != nil {
		if f.County != "" {
			filter["county"] = bson.M{"$eq": f.County, "$in": f.Counties}
		} else {
			filter["county"] = bson.M{"$in": f.Counties}
		}
	}
	if !f.Before.IsZero() {
		filter["at"] = bson.M{"$lt": f.Before}
	}
	cur, err := s.db.Collection(colAudit).Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", classify(err))
	}
	out := []account.Entry{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read audit log: %w", classify(err))
	}
	return out, nil
}

// SurveyAudit returns every audit entry about a survey, oldest first: the
// trail a report includes.
func (s *Store) SurveyAudit(ctx context.Context, surveyID string) ([]account.Entry, error) {
	cur, err := s.db.Collection(colAudit).Find(ctx, bson.M{"survey": surveyID},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("read audit trail of survey %s: %w", surveyID, classify(err))
	}
	out := []account.Entry{}
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("read audit trail of survey %s: %w", surveyID, classify(err))
	}
	return out, nil
}
