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
// (absent when it did not verify or the server has no signing key);
// settings lists every setting deciding the number with its hash.
type Verification struct {
	Responses       hashchain.Result       `json:"responses"`
	Audit           hashchain.Result       `json:"audit"`
	AuditCheckpoint *checkpoint.Checkpoint `json:"audit_checkpoint,omitempty"`
	// Settings are the settings the numbers were computed from, each
	// checked against the newest audit entry that changed it.
	Settings []SettingCheck `json:"settings"`
}

// SettingCheck is one setting that decides the number, checked against the
// audit chain: its hash as stored when the report was built and as the
// newest audit entry that changed it recorded. JSON: setting, label, hash,
// recorded and audit_seq (absent when no audited change recorded a hash:
// data from before settings were chained), changed.
type SettingCheck struct {
	Setting  string `json:"setting"`
	Label    string `json:"label"`
	Hash     string `json:"hash"`
	Recorded string `json:"recorded,omitempty"`
	AuditSeq int64  `json:"audit_seq,omitempty"`
	// Changed: the stored setting is not the one the audit chain recorded:
	// it was changed behind renke's back.
	Changed bool `json:"changed"`
}
