package reporting

import (
	"context"

	"renke/account"
	"renke/evidence"
	"renke/hashchain"
	"renke/report"
	"renke/sampling"
	"renke/signing"
	"renke/survey"
)

// Source is what reporting reads: a survey's design, responses, quality
// rules and overrides, the audit log and the chains' anchors. *store.Store
// satisfies it.
type Source interface {
	// Survey reads one survey (survey.ErrNotFound when there is none).
	Survey(ctx context.Context, id string) (*survey.Survey, error)
	// Surveys lists the surveys of the counties given (nil: every county).
	Surveys(ctx context.Context, counties []string) ([]survey.Survey, error)
	// Frame and Plan read the survey's sampling frame and drawn plan
	// (survey.ErrNotFound when there is none).
	Frame(ctx context.Context, surveyID string) (*sampling.Frame, error)
	Plan(ctx context.Context, surveyID string) (*sampling.Plan, error)
	// Anchors are what the database says of a chain's end (head hint,
	// checkpoints).
	Anchors(ctx context.Context, chain string) ([]hashchain.Anchor, error)
	// CommitKey is the survey's response-commitment key (nil: none).
	CommitKey(ctx context.Context, surveyID string, create bool) ([]byte, error)
	// EachResponseAfter calls fn with the survey's responses after sequence
	// number after, in chain order.
	EachResponseAfter(ctx context.Context, surveyID string, after int64, fn func(*survey.Response) error) error
	// Tip is the survey's chain head (last seq and hash) and AuditHead the
	// audit log's, each read as cheaply as the store can (one index entry).
	Tip(ctx context.Context, surveyID string) (int64, string, error)
	AuditHead(ctx context.Context) (int64, string, error)
	// QualityRules and Overrides are the survey's data-quality rules and
	// the evaluators' decisions.
	QualityRules(ctx context.Context, surveyID string) (report.QualityConfig, error)
	Overrides(ctx context.Context, surveyID string) ([]report.Override, error)
	// EachAudit calls fn with every audit entry in chain order;
	// AuditAppends counts the entries this process appended.
	EachAudit(ctx context.Context, fn func(*account.Entry) error) error
	AuditAppends() int64
	// Settings reads the survey's stored settings (which: those only).
	Settings(ctx context.Context, surveyID string, which ...evidence.Setting) (*evidence.Settings, error)
	// SigningKey is the server's key for checkpoints (nil: none).
	SigningKey() *signing.Key
}
