package dossier

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"renke/signing"
	"renke/survey"
)

func problems(r *Result) string { return strings.Join(r.Problems, "\n") }

// wantProblem fails unless one of res's problems contains every part.
func wantProblem(t *testing.T, res *Result, parts ...string) {
	t.Helper()
	for _, p := range res.Problems {
		ok := true
		for _, s := range parts {
			ok = ok && strings.Contains(p, s)
		}
		if ok {
			return
		}
	}
	t.Errorf("no problem names %q; problems:\n%s", parts, problems(res))
}

func TestUntouchedPackageVerifies(t *testing.T) {
	c := demoContents(t)
	key := testKey(t, 1)
	pkg := pack(t, c, key)
	res := verify(t, pkg, Options{Fingerprint: key.Fingerprint()})
	if !res.OK() {
		t.Fatalf("untouched package: problems\n%s", problems(res))
	}
	t.Logf("notes: %v", res.Notes)
	if res.Responses != len(c.Responses) || res.Valid != c.Report.Counts.Valid || res.Rate != c.Report.Overall.Rate {
		t.Errorf("result %d responses, %d valid, rate %v; want %d, %d, %v", res.Responses, res.Valid, res.Rate,
			len(c.Responses), c.Report.Counts.Valid, c.Report.Overall.Rate)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "重抽抽样方案") {
		t.Errorf("the plan was not redrawn: %v", res.Notes)
	}
	files := unpack(t, pkg)
	for _, name := range []string{FileResponses, FileAudit, FileSettings, FileFrame, FilePlan, FileCodes,
		FileReplication, FileCodebook, FileResults, FileResultsCSV, FileRScript, FileReadme, FileSignature} {
		if len(files[name]) == 0 {
			t.Errorf("%s missing or empty", name)
		}
	}
	// No access-code token is in the package except where a response's chain record holds it.
	for _, k := range c.Codes {
		if bytes.Contains(files[FileCodes], []byte(k.Code)) {
			t.Fatalf("codes.jsonl holds the token of code %s", k.Code)
		}
	}
	if !bytes.Contains(files[FileCodebook], []byte("不认可")) || !bytes.Contains(files[FileCodebook], []byte("家长")) {
		t.Errorf("codebook lacks the Chinese value labels:\n%s", files[FileCodebook][:400])
	}
	// Each item's values in its own form's words: a student item says 不知道,
	// a staff item 不认可, a social item 不满意, and none another form's.
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(files[FileCodebook], []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, r := range rows {
		if r[2] != "" {
			values[r[0]] += r[3] + " "
		}
	}
	for _, k := range survey.FormKinds {
		q := c.Survey.Forms[k]
		got := values[q.Items[0].ID]
		for _, code := range survey.OptionCodes {
			if !strings.Contains(got, q.OptionLabel(code)+"（") {
				t.Errorf("codebook item %s (%s): %q lacks %q", q.Items[0].ID, k, got, q.OptionLabel(code))
			}
		}
	}
}

// editLine replaces the n-th line (1-based) of a file with f of it.
func editLine(t *testing.T, b []byte, n int, f func(string) string) []byte {
	t.Helper()
	ls := strings.Split(string(b), "\n")
	if n > len(ls) {
		t.Fatalf("line %d of %d", n, len(ls))
	}
	old := ls[n-1]
	ls[n-1] = f(old)
	if ls[n-1] == old {
		t.Fatalf("edit left line %d as it was: %s", n, old)
	}
	return []byte(strings.Join(ls, "\n"))
}

// changeAnswers sets every answer of a response line to 认可.
func changeAnswers(t *testing.T, line string) string {
	t.Helper()
	var r survey.Response
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		t.Fatal(err)
	}
	changed := false
	for k, v := range r.Answers {
		if v != survey.OptRecognise {
			r.Answers[k], changed = survey.OptRecognise, true
		}
	}
	if !changed {
		r.Answers["extra"] = survey.OptRecognise
	}
	b, err := json.Marshal(&r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEditedRowIsNamed(t *testing.T) {
	c := demoContents(t)
	key := testKey(t, 1)
	files := unpack(t, pack(t, c, key))

	edited := map[string][]byte{}
	for k, v := range files {
		edited[k] = v
	}
	edited[FileResponses] = editLine(t, files[FileResponses], 500, func(s string) string { return changeAnswers(t, s) })
	res := verify(t, repack(t, edited), Options{})
	wantProblem(t, res, FileResponses, "SHA-256")
	wantProblem(t, res, FileResponses, "第 500 行", c.Responses[499].ID, "内容与其哈希不符")
	t.Logf("edited row:\n%s", problems(res))

	edited = map[string][]byte{}
	for k, v := range files {
		edited[k] = v
	}
	edited[FileReplication] = editLine(t, files[FileReplication], 41, func(s string) string {
		f := strings.Split(s, ",")
		f[4] = "999" // weight
		return strings.Join(f, ",")
	})
	res = verify(t, repack(t, edited), Options{})
	wantProblem(t, res, FileReplication, "SHA-256")
	wantProblem(t, res, FileReplication, "第 41 行")
}

// TestRewrittenChainNeedsTheKey: someone who edits a response, rehashes the
// chain after it, recomputes every derived file and signs with their own key
// passes only when the evaluator does not compare the key's fingerprint.
func TestRewrittenChainNeedsTheKey(t *testing.T) {
	c := demoContents(t)
	key, other := testKey(t, 1), testKey(t, 2)
	r := &c.Responses[99]
	for k := range r.Answers {
		r.Answers[k] = survey.OptRecognise
	}
	for i := 99; i < len(c.Responses); i++ {
		prev := c.Responses[i-1]
		c.Responses[i].Seal(prev.Seq, prev.Hash)
	}
	forged := demoContentsReport(t, c)
	pkg := pack(t, forged, other)
	if res := verify(t, pkg, Options{}); !res.OK() {
		t.Fatalf("a consistent forgery fails without a fingerprint: %s", problems(res))
	}
	res := verify(t, pkg, Options{Fingerprint: key.Fingerprint()})
	wantProblem(t, res, "指纹", other.Fingerprint(), key.Fingerprint())
}

func TestEditedManifestOrSignatureFails(t *testing.T) {
	c := demoContents(t)
	key := testKey(t, 1)
	files := unpack(t, pack(t, c, key))

	// A row edited and its sum updated in the manifest: the signature breaks.
	edited := map[string][]byte{}
	for k, v := range files {
		edited[k] = v
	}
	edited[FileResponses] = editLine(t, files[FileResponses], 7, func(s string) string { return changeAnswers(t, s) })
	var m Manifest
	if err := json.Unmarshal(files[FileManifest], &m); err != nil {
		t.Fatal(err)
	}
	for i := range m.Files {
		if m.Files[i].Name == FileResponses {
			m.Files[i] = sumOf(FileResponses, edited[FileResponses])
		}
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	edited[FileManifest] = append(mb, '\n')
	res := verify(t, repack(t, edited), Options{})
	wantProblem(t, res, FileSignature, "签名与")
	wantProblem(t, res, FileResponses, "第 7 行")
	for _, p := range res.Problems {
		if strings.Contains(p, "SHA-256") {
			t.Errorf("the updated sum should match: %s", p)
		}
	}

	// A signature of something else.
	edited = map[string][]byte{}
	for k, v := range files {
		edited[k] = v
	}
	edited[FileSignature] = []byte(base64.StdEncoding.EncodeToString(key.Sign([]byte("other"))) + "\n")
	res = verify(t, repack(t, edited), Options{})
	wantProblem(t, res, FileSignature, "签名与")
	if len(res.Problems) != 1 {
		t.Errorf("only the signature is wrong, got:\n%s", problems(res))
	}

	// The manifest's key swapped for another: the signature does not match it.
	m = Manifest{}
	_ = json.Unmarshal(files[FileManifest], &m)
	other := testKey(t, 3)
	m.PublicKey, m.Fingerprint = signing.EncodePublic(other.Public()), other.Fingerprint()
	mb, _ = json.MarshalIndent(m, "", "  ")
	edited[FileManifest], edited[FileSignature] = append(mb, '\n'), files[FileSignature]
	res = verify(t, repack(t, edited), Options{})
	wantProblem(t, res, FileSignature, "签名与")

	// A file left out.
	edited = map[string][]byte{}
	for k, v := range files {
		if k != FileAudit {
			edited[k] = v
		}
	}
	res = verify(t, repack(t, edited), Options{})
	wantProblem(t, res, FileAudit, "包内缺少")
}

// TestSettingChangedBehindTheTrail: a setting whose hash an audit entry
// records verifies while it matches and fails, naming the setting and the
// entry, once the stored setting differs.
func TestSettingChangedBehindTheTrail(t *testing.T) {
	c := demoContents(t)
	s, err := settingsOf(c)
	if err != nil {
		t.Fatal(err)
	}
	e := c.Audit[1]
	e.Settings = map[string]string{"scheme": s.Hashes["scheme"], "group_weights": s.Hashes["group_weights"]}
	e.Seal(e.Seq-1, e.PrevHash)
	c.Audit[1] = e
	key := testKey(t, 1)
	res := verify(t, pack(t, c, key), Options{})
	if !res.OK() {
		t.Fatalf("settings as the trail records them: %s", problems(res))
	}
	if notes := strings.Join(res.Notes, "\n"); strings.Contains(notes, "scheme") || !strings.Contains(notes, "quality_rules") {
		t.Errorf("notes should list the settings the trail does not record: %s", notes)
	}

	// 不认可 scored 1 in the stored survey, the report recomputed from it.
	c.Survey.Scheme = survey.Scheme{"1": 1, "2": 1, "3": 1, "4": 1}
	c = demoContentsReport(t, c)
	res = verify(t, pack(t, c, key), Options{})
	wantProblem(t, res, FileSettings, "scheme", fmt.Sprintf("seq %d", e.Seq))
	if len(res.Problems) != 1 {
		t.Errorf("only the scheme is off the trail: %s", problems(res))
	}
}
