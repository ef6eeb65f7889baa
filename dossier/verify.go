package dossier

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"renke/account"
	"renke/hashchain"
	"renke/sampling"
	"renke/survey"
)

// maxFile bounds one file read from a package.
const maxFile = 1 << 30

// Options tune Verify.
type Options struct {
	// Fingerprint is the signing key's fingerprint the evaluator holds (from
	// the filed report); empty accepts the key the package names.
	Fingerprint string
}

// Result is what Verify found. Problems name the file and, where there is
// one, the row at fault; the package verifies when there are none.
type Result struct {
	Manifest  *Manifest
	Responses int
	Valid     int
	Rate      float64
	Problems  []string
	Notes     []string // what was checked beyond the problems, or could not be
}

// OK reports whether the package verified.
func (r *Result) OK() bool { return len(r.Problems) == 0 }

func (r *Result) fail(format string, a ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, a...))
}

// Verify checks a package with nothing but its bytes: the manifest's
// signature, every file's SHA-256, the response chain recomputed, the audit
// entries' own hashes, the settings' hashes, the plan redrawn from its seed,
// and the estimate, the replication file and the R script's inputs
// recomputed from the responses and settings. It goes on after a problem, so
// an edited row is named even when its file's sum no longer matches. The
// error is for a file that is not a package at all.
func Verify(ra io.ReaderAt, size int64, opt Options) (*Result, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, fmt.Errorf("不是有效的 ZIP 复核包：%w", err)
	}
	files := map[string][]byte{}
	res := &Result{}
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			res.fail("%s：包内出现两次", f.Name)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("复核包 %s：%w", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxFile))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("复核包 %s：%w", f.Name, err)
		}
		files[f.Name] = b
	}
	mb, ok := files[FileManifest]
	if !ok {
		return nil, fmt.Errorf("复核包缺少 %s", FileManifest)
	}
	var m Manifest
	if err := json.Unmarshal(mb, &m); err != nil {
		return nil, fmt.Errorf("%s：%w", FileManifest, err)
	}
	if m.Format != Format {
		return nil, fmt.Errorf("%s：格式为“%s”，本程序只认 %s", FileManifest, m.Format, Format)
	}
	res.Manifest = &m
	if err := checkSignature(&m, mb, files[FileSignature], opt.Fingerprint); err != nil {
		res.fail("%v", err)
	}
	checkSums(res, &m, files)
	c, err := parseContents(res, files)
	if err != nil {
		res.fail("%v", err)
		return res, nil
	}
	if c.Report.ChainLength != m.ChainLength || c.Report.ChainHead != m.ChainHead {
		res.fail("%s 的链长与链头（%d，%s）与 %s（%d，%s）不符", FileResults, c.Report.ChainLength, c.Report.ChainHead,
			FileManifest, m.ChainLength, m.ChainHead)
	}
	for _, p := range recomputeChain(c.Responses) {
		res.fail("%s", p)
	}
	checkHead(res, c)
	checkAudit(res, c)
	checkSettings(res, c, files[FileSettings])
	checkPlan(res, c)
	checkCodes(res, c)
	recompute(res, c, files)
	return res, nil
}

// checkSums compares every file with its manifest entry.
func checkSums(res *Result, m *Manifest, files map[string][]byte) {
	listed := map[string]bool{FileManifest: true, FileSignature: true}
	for _, f := range m.Files {
		listed[f.Name] = true
		b, ok := files[f.Name]
		if !ok {
			res.fail("%s：清单中有，包内缺少", f.Name)
			continue
		}
		if got := sumOf(f.Name, b); got.SHA256 != f.SHA256 || got.Size != f.Size {
			res.fail("%s：SHA-256 与清单不符（文件被改动）", f.Name)
		}
	}
	for name := range files {
		if !listed[name] {
			res.fail("%s：不在清单中", name)
		}
	}
}

// parseContents reads the package's data files back into Contents.
func parseContents(res *Result, files map[string][]byte) (*Contents, error) {
	c := &Contents{}
	var s Settings
	if err := json.Unmarshal(files[FileSettings], &s); err != nil || s.Survey == nil {
		return nil, fmt.Errorf("%s：无法读取调查设置：%v", FileSettings, err)
	}
	c.Survey, c.Quality, c.Overrides = s.Survey, s.QualityRules, s.Overrides
	if err := json.Unmarshal(files[FileFrame], &c.Frame); err != nil {
		return nil, fmt.Errorf("%s：%w", FileFrame, err)
	}
	if err := json.Unmarshal(files[FilePlan], &c.Plan); err != nil {
		return nil, fmt.Errorf("%s：%w", FilePlan, err)
	}
	if err := json.Unmarshal(files[FileResults], &c.Report); err != nil || c.Report == nil {
		return nil, fmt.Errorf("%s：无法读取已发布结果：%v", FileResults, err)
	}
	err := eachLine(files[FileResponses], func(n int, line []byte) {
		r, err := readResponse(line)
		if err != nil {
			res.fail("%s 第 %d 行：%v", FileResponses, n, err)
			return
		}
		c.Responses = append(c.Responses, r)
	})
	if err != nil {
		return nil, fmt.Errorf("%s：%w", FileResponses, err)
	}
	res.Responses = len(c.Responses)
	err = eachLine(files[FileAudit], func(n int, line []byte) {
		var e account.Entry
		if err := json.Unmarshal(line, &e); err != nil {
			res.fail("%s 第 %d 行：不是有效的审计记录：%v", FileAudit, n, err)
			return
		}
		c.Audit = append(c.Audit, e)
	})
	if err != nil {
		return nil, fmt.Errorf("%s：%w", FileAudit, err)
	}
	err = eachLine(files[FileCodes], func(n int, line []byte) {
		var k codeRecord
		if err := json.Unmarshal(line, &k); err != nil {
			res.fail("%s 第 %d 行：不是有效的访问码记录：%v", FileCodes, n, err)
			return
		}
		c.Codes = append(c.Codes, survey.Code{Code: k.CodeSHA256, Kind: k.Kind, Group: k.Group, School: k.School,
			Township: k.Township, Urbanicity: k.Urbanicity, Band: k.Band, Quota: k.Quota})
	})
	if err != nil {
		return nil, fmt.Errorf("%s：%w", FileCodes, err)
	}
	return c, nil
}

// eachLine calls f with every non-empty line and its 1-based number.
func eachLine(b []byte, f func(n int, line []byte)) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 64<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			f(n, sc.Bytes())
		}
	}
	return sc.Err()
}

// checkHead compares the recomputed chain's end with the published head.
func checkHead(res *Result, c *Contents) {
	var seq int64
	head := survey.GenesisHash
	if n := len(c.Responses); n > 0 {
		seq, head = c.Responses[n-1].Seq, c.Responses[n-1].Hash
	}
	if seq != c.Report.ChainLength || head != c.Report.ChainHead {
		res.fail("%s 止于 seq %d（%s），已发布结果的链为 %d 条（%s）", FileResponses, seq, head,
			c.Report.ChainLength, c.Report.ChainHead)
	}
}

// checkAudit checks each audit entry's own hash and that it is about the
// survey. The entries are the survey's part of the whole log, so the links
// between them are not checkable here (renke verify --audit checks them).
func checkAudit(res *Result, c *Contents) {
	for i := range c.Audit {
		e := &c.Audit[i]
		if hashchain.Link(e.PrevHash, e.CanonicalJSON()) != e.Hash {
			res.fail("%s 第 %d 行（审计 seq %d）：内容与其哈希不符（记录被改动）", FileAudit, i+1, e.Seq)
		}
		if e.Survey != c.Survey.ID {
			res.fail("%s 第 %d 行（审计 seq %d）：不属于调查 %s", FileAudit, i+1, e.Seq, c.Survey.ID)
		}
		if i > 0 && e.Seq <= c.Audit[i-1].Seq {
			res.fail("%s 第 %d 行（审计 seq %d）：顺序错乱", FileAudit, i+1, e.Seq)
		}
	}
}

// checkSettings recomputes the settings' hashes and compares them with the
// ones the audit trail records.
func checkSettings(res *Result, c *Contents, raw []byte) {
	var stated Settings
	_ = json.Unmarshal(raw, &stated) // read once already
	got, err := settingsOf(c)
	if err != nil {
		res.fail("%s：%v", FileSettings, err)
		return
	}
	for name, h := range got.Hashes {
		if stated.Hashes[name] != h {
			res.fail("%s：%s 的哈希应为 %s，文件中写的是 %q", FileSettings, name, h, stated.Hashes[name])
		}
	}
	if fmt.Sprint(stated.GroupWeights) != fmt.Sprint(got.GroupWeights) {
		res.fail("%s：group_weights 与调查设置中的组权重不符", FileSettings)
	}
	checkTrail(res, c, got.Hashes)
}

// checkPlan redraws the plan from the frame with its seed and options and
// compares the draw (the expected precision depends on assumptions the plan
// does not record, so it is taken as stored).
func checkPlan(res *Result, c *Contents) {
	if c.Plan == nil || c.Frame == nil {
		res.Notes = append(res.Notes, "没有抽样方案或抽样框：未重抽")
		return
	}
	seed := c.Plan.Seed
	p, err := sampling.MakePlan(c.Frame, sampling.Options{Seed: &seed, Rate: c.Plan.Rate, Floor: c.Plan.Floor,
		TakePerSchool: c.Plan.TakePerSchool, GroupWeights: groupWeights(c.Survey)})
	if err != nil {
		res.fail("%s：按种子 %d 重抽失败：%v", FilePlan, seed, err)
		return
	}
	p.Precision = c.Plan.Precision
	want, _ := p.JSON()
	got, _ := c.Plan.JSON()
	if !bytes.Equal(want, got) {
		res.fail("%s：按种子 %d 从 %s 重抽的方案与所存方案不符（%s）", FilePlan, seed, FileFrame, firstDiff(got, want))
		return
	}
	res.Notes = append(res.Notes, fmt.Sprintf("按种子 %d 重抽抽样方案：%d 所学校与所存方案一致", seed, len(p.Schools)))
}

// firstDiff names the first line where two texts differ.
func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("第 %d 行：所存 %s，重抽 %s", i+1, bytes.TrimSpace(la[i]), bytes.TrimSpace(lb[i]))
		}
	}
	return fmt.Sprintf("所存 %d 行，重抽 %d 行", len(la), len(lb))
}

// resultKeys are the parts of the published report the recomputation must
// reproduce; others (added by the caller, e.g. a checkpoint) are not estimates.
var resultKeys = []string{"survey_id", "chain_head", "chain_length", "counts", "design", "overall", "groups",
	"dimensions", "items", "urbanicities", "townships", "schools", "cells", "weakest", "quality"}

// tolerance is the largest difference between a recomputed and a published number.
const tolerance = 1e-9
