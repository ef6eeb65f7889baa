package dossier

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"renke/evidence"
	"renke/report"
	"renke/signing"
)

// Write writes the package of c as a ZIP, its manifest signed with key.
func Write(w io.Writer, c *Contents, key *signing.Key) error {
	if c.Report == nil {
		return errors.New("复核包：没有已发布的结果（尚无有效应答）")
	}
	if key == nil {
		return errors.New("复核包：服务器没有签名密钥")
	}
	files, err := build(c)
	if err != nil {
		return err
	}
	m := Manifest{Format: Format, SurveyID: c.Survey.ID, County: c.Survey.County, Title: c.Survey.Title,
		Generated: c.Generated.UTC(), Version: c.Version, ChainLength: c.Report.ChainLength,
		ChainHead: c.Report.ChainHead, PublicKey: signing.EncodePublic(key.Public()), Fingerprint: key.Fingerprint()}
	for _, f := range files {
		m.Files = append(m.Files, sumOf(f.name, f.data))
	}
	mb, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("复核包清单：%w", err)
	}
	mb = append(mb, '\n')
	files = append([]file{{FileManifest, mb}, {FileSignature, sign(key, mb)}}, files...)
	zw := zip.NewWriter(w)
	for _, f := range files {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate, Modified: m.Generated})
		if err != nil {
			return fmt.Errorf("复核包 %s：%w", f.name, err)
		}
		if _, err := fw.Write(f.data); err != nil {
			return fmt.Errorf("复核包 %s：%w", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("复核包：%w", err)
	}
	return nil
}

// file is one file of the package.
type file struct {
	name string
	data []byte
}

// build makes every file but the manifest and its signature.
func build(c *Contents) ([]file, error) {
	var out []file
	add := func(name string, data []byte, err error) error {
		if err != nil {
			return fmt.Errorf("复核包 %s：%w", name, err)
		}
		out = append(out, file{name, data})
		return nil
	}
	d, err := derive(c)
	if err != nil {
		return nil, err
	}
	steps := []func() error{
		func() error { b, err := responsesFile(c); return add(FileResponses, b, err) },
		func() error { b, err := lines(c.Audit); return add(FileAudit, b, err) },
		func() error { b, err := settingsFile(c); return add(FileSettings, b, err) },
		func() error { b, err := indented(c.Frame); return add(FileFrame, b, err) },
		func() error { b, err := indented(c.Plan); return add(FilePlan, b, err) },
		func() error { b, err := codesFile(c); return add(FileCodes, b, err) },
		func() error {
			var buf bytes.Buffer
			err := report.WriteReplication(&buf, d)
			return add(FileReplication, buf.Bytes(), err)
		},
		func() error { b, err := codebook(c.Survey); return add(FileCodebook, b, err) },
		func() error { b, err := indented(c.Report); return add(FileResults, b, err) },
		func() error { b, err := resultsCSV(c.Report); return add(FileResultsCSV, b, err) },
		func() error { b, err := rScript(c.Survey, c.Report.Overall.Bar); return add(FileRScript, b, err) },
		func() error { return add(FileReadme, readme(c), nil) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// derive rebuilds what the estimate is computed from out of the contents:
// the quality rules run afresh over the responses and the overrides applied.
// The published report is c's.
func derive(c *Contents) (*report.Published, error) {
	q, err := report.CheckQuality(c.Responses, c.Quality)
	if err != nil {
		return nil, fmt.Errorf("数据质量规则：%w", err)
	}
	if err := q.Apply(c.Overrides); err != nil {
		return nil, fmt.Errorf("人工复核决定：%w", err)
	}
	return &report.Published{Report: c.Report, Survey: c.Survey, Frame: c.Frame, Plan: c.Plan, Responses: c.Responses,
		Quality: q, Overrides: c.Overrides, Audit: c.Audit}, nil
}

func responsesFile(c *Contents) ([]byte, error) {
	var buf bytes.Buffer
	p, err := newPseudonyms()
	if err != nil {
		return nil, err
	}
	for i := range c.Responses {
		b, err := responseRecord(&c.Responses[i], p)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

func codesFile(c *Contents) ([]byte, error) {
	recs := make([]codeRecord, len(c.Codes))
	for i := range c.Codes {
		recs[i] = newCodeRecord(&c.Codes[i])
	}
	return lines(recs)
}

// lines writes one JSON value per line.
func lines[T any](xs []T) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range xs {
		if err := enc.Encode(&xs[i]); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// indented is v as indented JSON, as `renke report --format json` writes it.
func indented(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func settingsFile(c *Contents) ([]byte, error) {
	s, err := settingsOf(c)
	if err != nil {
		return nil, err
	}
	return indented(s)
}

// settingsOf gathers the settings with their hashes: those the audit chain
// records (package evidence, the same function the server stamps entries
// with) and the forms' own.
func settingsOf(c *Contents) (*Settings, error) {
	s := &Settings{Survey: c.Survey, Bar: c.Report.Overall.Bar, GroupWeights: groupWeights(c.Survey),
		QualityRules: c.Quality, Overrides: c.Overrides, Hashes: map[string]string{}}
	if s.Overrides == nil {
		s.Overrides = []report.Override{}
	}
	q := c.Quality
	ev := &evidence.Settings{Scheme: c.Survey.Scheme, Weights: c.Survey.GroupWeights, Quality: &q,
		Frame: c.Frame, Plan: c.Plan, Overrides: c.Overrides}
	for _, w := range offlineSettings {
		s.Hashes[string(w)] = ev.Hash(w)
	}
	h, err := hashJSON(c.Survey.Forms)
	if err != nil {
		return nil, fmt.Errorf("forms：%w", err)
	}
	s.Hashes["forms"] = h
	return s, nil
}

// offlineSettings are the chained settings a package can rehash from its own
// files (code quotas cover the codes' tokens, which a package does not hold).
var offlineSettings = []evidence.Setting{evidence.Scheme, evidence.Weights, evidence.Quality,
	evidence.Frame, evidence.Plan, evidence.Overrides}

// hashJSON is the SHA-256 (hex) of v's JSON encoding.
func hashJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
