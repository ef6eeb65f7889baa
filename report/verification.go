package report

import "renke/hashchain"

// Verification is what checking the stored evidence found when the report
// was built, as the JSON report carries it (the HTML, PDF and Excel reports
// state the same): responses and audit are the checks of the survey's
// response chain and of the audit log, each naming every break.
type Verification struct {
	Responses hashchain.Result `json:"responses"`
	Audit     hashchain.Result `json:"audit"`
}
