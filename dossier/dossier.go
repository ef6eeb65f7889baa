// Package dossier builds and checks the evaluator's package (复核包): one ZIP
// with everything a survey's published rate was computed from — the raw
// responses with their hash-chain fields, the survey's audit trail, the
// settings, the frame, the plan and its seed, the replication CSV, a
// codebook, the published results and an R script that reproduces them —
// and a manifest of SHA-256 sums signed with the server's key. Verify checks
// a package with nothing but the package: no server, no database.
package dossier

import (
	"time"

	"renke/account"
	"renke/report"
	"renke/sampling"
	"renke/survey"
)

// Format names the package layout; Verify refuses others.
const Format = "renke-dossier/1"

// The package's files.
const (
	FileManifest    = "manifest.json"   // Manifest: every other file's SHA-256
	FileSignature   = "manifest.sig"    // Ed25519 signature of manifest.json, base64
	FileResponses   = "responses.jsonl" // one response per line, chain order, with seq, prev_hash, hash
	FileAudit       = "audit.jsonl"     // the survey's audit entries, oldest first
	FileSettings    = "settings.json"   // Settings: survey, scoring, group weights, quality rules, overrides
	FileFrame       = "frame.json"      // the sampling frame (null without one)
	FilePlan        = "plan.json"       // the drawn plan with its seed (null without one)
	FileCodes       = "codes.jsonl"     // access codes, the token only as its SHA-256
	FileReplication = "replication.csv" // the replication file of `renke export`
	FileCodebook    = "codebook.csv"    // every variable and value label, in Chinese
	FileResults     = "results.json"    // the published report, as `renke report --format json`
	FileResultsCSV  = "results.csv"     // the overall and group estimates the R script compares
	FileRScript     = "reproduce.R"     // R + survey package: recomputes results.csv from replication.csv
	FileReadme      = "README.txt"      // what the package holds and how to check it, in Chinese
)

// Contents is what a package is made of.
type Contents struct {
	Survey    *survey.Survey
	Frame     *sampling.Frame // nil when the survey has no frame
	Plan      *sampling.Plan  // nil when no plan was drawn
	Codes     []survey.Code
	Responses []survey.Response // in chain order
	Quality   report.QualityConfig
	Overrides []report.Override
	Audit     []account.Entry
	Report    *report.Report // the published results
	Generated time.Time
	Version   string // renke's version
}

// FromReport takes the contents of a package from a built report (with its
// estimates: Published.HasData) and the survey's access codes.
func FromReport(d *report.Published, codes []survey.Code) *Contents {
	c := &Contents{Survey: d.Survey, Frame: d.Frame, Plan: d.Plan, Codes: codes, Responses: d.Responses,
		Overrides: d.Overrides, Audit: d.Audit, Report: d.Report, Generated: d.Generated, Version: d.Version}
	if d.Quality != nil {
		c.Quality = d.Quality.Config
	}
	return c
}

// Settings is settings.json: everything besides the responses that decides
// the published numbers, with the SHA-256 of each part's JSON encoding.
type Settings struct {
	Survey       *survey.Survey           `json:"survey"` // forms, scheme and group weights included
	Bar          float64                  `json:"bar"`
	GroupWeights map[survey.Group]float64 `json:"group_weights"` // W_g in force (the defaults when the survey sets none)
	QualityRules report.QualityConfig     `json:"quality_rules"`
	Overrides    []report.Override        `json:"overrides"`
	// Hashes are the SHA-256 (hex) of the JSON of scheme, group_weights,
	// forms, quality_rules, overrides, frame and plan.
	Hashes map[string]string `json:"hashes"`
}

// groupWeights are the W_g the estimator uses for the survey.
func groupWeights(sv *survey.Survey) map[survey.Group]float64 {
	if sv.GroupWeights == nil {
		return survey.DefaultGroupWeights()
	}
	return sv.GroupWeights
}
