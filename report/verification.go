package report

import (
	"renke/evidence/checkpoint"
	"renke/hashchain"
)

// Verification is what checking the stored evidence found when the report
// was built, as the JSON report carries it (the HTML, PDF and Excel reports
// state the same): responses and audit are the checks of the survey's
// response chain and of the audit log, each naming every break;
// audit_checkpoint is a signed checkpoint of the audit log's verified head
// (absent when it did not verify or the server has no signing key).
type Verification struct {
	Responses       hashchain.Result       `json:"responses"`
	Audit           hashchain.Result       `json:"audit"`
	AuditCheckpoint *checkpoint.Checkpoint `json:"audit_checkpoint,omitempty"`
}
