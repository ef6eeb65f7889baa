package sheets

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"renke/internal/csvsafe"
	"renke/survey"
)

// pngSize is the side in pixels of a shared code's PNG in the archive.
const pngSize = 600

// job renders one file of the archive.
type job struct {
	name   string
	render func(w io.Writer) error
	out    bytes.Buffer
	err    error
}

// ZIP writes all the sheets of a survey's codes into one archive:
//
//	学校/<学校代码>_<学校名称>.pdf        shared codes of a school, a page each
//	全县/全县共享码.pdf                    county-level shared codes
//	一次性码/<学校或全县>_<对象>[_<学段>].pdf  one-time codes as slips
//	二维码/<学校或全县>_<对象>[_<学段>]_<编号>.png  a PNG per shared code
//	清单.csv                             every code with its file and URL, and
//	                                     the codes not printed with why
//
// PDFs are rendered in parallel; the archive's entries are in a fixed order.
// Voided codes and one-time codes that have an answer (m.Used) are never
// printed.
func ZIP(w io.Writer, m Meta, codes []survey.Code) error {
	if err := m.check(); err != nil {
		return err
	}
	var skipped []survey.Code
	codes = slices.DeleteFunc(slices.Clone(codes), func(c survey.Code) bool {
		if notPrinted(m, &c) != "" {
			skipped = append(skipped, c)
			return true
		}
		return false
	})
	if len(codes) == 0 {
		return errors.New("sheets: every code is voided or used: nothing to print")
	}
	if err := checkCodes(codes); err != nil {
		return err
	}
	slices.SortStableFunc(skipped, codeOrder)
	sorted := slices.Clone(codes)
	slices.SortStableFunc(sorted, func(a, b survey.Code) int {
		if a.Kind != b.Kind {
			return strings.Compare(string(a.Kind), string(b.Kind))
		}
		return codeOrder(a, b)
	})
	var jobs []*job
	fileOf := make([]string, len(sorted))
	for _, grp := range groupCodes(sorted) {
		part := grp.codes
		first := &sorted[grp.start]
		var name string
		var render func(w io.Writer) error
		if first.Kind == survey.OneTimeCode {
			name = "一次性码/" + fileName(owner(first), first.Group.Label(), bandPart(first)) + ".pdf"
			render = func(w io.Writer) error { return Slips(w, m, part) }
		} else if first.School == "" {
			name = "全县/全县共享码.pdf"
			render = func(w io.Writer) error { return SchoolSheet(w, m, part) }
		} else {
			name = "学校/" + fileName(first.School, first.SchoolName) + ".pdf"
			render = func(w io.Writer) error { return SchoolSheet(w, m, part) }
		}
		jobs = append(jobs, &job{name: name, render: render})
		for i := range part {
			fileOf[grp.start+i] = name
		}
	}
	for i := range sorted {
		c := &sorted[i]
		if c.Kind == survey.OneTimeCode {
			continue
		}
		url := c.URL(m.BaseURL)
		name := "二维码/" + fileName(owner(c), c.Group.Label(), bandPart(c), ShortID(c)) + ".png"
		jobs = append(jobs, &job{name: name, render: func(w io.Writer) error {
			b, err := PNG(url, pngSize)
			if err == nil {
				_, err = w.Write(b)
			}
			return err
		}})
	}
	runJobs(jobs)
	zw := zip.NewWriter(w)
	now := time.Now()
	for _, j := range jobs {
		if j.err != nil {
			return fmt.Errorf("sheets: %s: %w", j.name, j.err)
		}
		if err := addFile(zw, j.name, now, j.out.Bytes()); err != nil {
			return err
		}
	}
	if err := addFile(zw, "清单.csv", now, manifest(m, sorted, fileOf, skipped)); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("sheets: close ZIP: %w", err)
	}
	return nil
}

// runJobs renders the jobs on all CPUs.
func runJobs(jobs []*job) {
	var wg sync.WaitGroup
	next := make(chan *job)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for j := range next {
				j.err = j.render(&j.out)
			}
		})
	}
	for _, j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()
}

// span is a run of sorted codes printed in one file.
type span struct {
	start int
	codes []survey.Code
}

// groupCodes cuts sorted codes into files: shared codes per school (all county
// shared codes together), one-time codes per school × group × band.
func groupCodes(sorted []survey.Code) []span {
	key := func(c *survey.Code) string {
		if c.Kind == survey.OneTimeCode {
			return strings.Join([]string{string(c.Kind), c.School, string(c.Urbanicity), string(c.Group), string(c.Band)}, "\x00")
		}
		return string(c.Kind) + "\x00" + c.School
	}
	var out []span
	for i := 0; i < len(sorted); {
		j := i + 1
		for j < len(sorted) && key(&sorted[j]) == key(&sorted[i]) {
			j++
		}
		out = append(out, span{start: i, codes: sorted[i:j]})
		i = j
	}
	return out
}

// owner is the school code or 全县 (with the stratum, if any).
func owner(c *survey.Code) string {
	if c.School != "" {
		return c.School
	}
	if c.Urbanicity != "" {
		return "全县" + string(c.Urbanicity)
	}
	return "全县"
}

func bandPart(c *survey.Code) string {
	if c.Band == "" {
		return ""
	}
	return strings.TrimSuffix(strings.SplitN(c.Band.Label(), "（", 2)[0], " ")
}

// fileName joins the non-empty parts with "_" and keeps the result safe as a
// file name on every system.
func fileName(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	s := strings.Map(func(r rune) rune {
		if r < 32 || strings.ContainsRune(`/\:*?"<>|`, r) {
			return '_'
		}
		return r
	}, strings.Join(keep, "_"))
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80])
	}
	return s
}

func addFile(zw *zip.Writer, name string, mod time.Time, data []byte) error {
	method := zip.Deflate
	if strings.HasSuffix(name, ".png") {
		method = zip.Store
	}
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: mod})
	if err != nil {
		return fmt.Errorf("sheets: ZIP entry %s: %w", name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("sheets: ZIP entry %s: %w", name, err)
	}
	return nil
}

// notPrinted says why code c is left out of the sheets, or "" when it is printed.
func notPrinted(m Meta, c *survey.Code) string {
	switch {
	case c.Usable() != nil:
		return "未打印：已作废（" + c.Voided.In(m.location()).Format("2006-01-02 15:04") + "）"
	case c.Kind == survey.OneTimeCode && m.Used[c.Code] > 0:
		return "未打印：已使用（已收到答卷）"
	}
	return ""
}

// manifest lists every printed code with its file, then the codes not printed
// with why, as CSV with a BOM for Excel.
func manifest(m Meta, codes []survey.Code, fileOf []string, skipped []survey.Code) []byte {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csvsafe.NewWriter(&buf)
	_ = cw.Write([]string{"文件", "类型", "学校代码", "学校名称", "城乡类型", "对象", "学段", "名额", "编号", "链接", "说明"})
	row := func(file string, c *survey.Code, note string) {
		kind, quota := "共享码", strconv.Itoa(c.Quota)
		if c.Kind == survey.OneTimeCode {
			kind, quota = "一次性码", "1"
		}
		_ = cw.Write([]string{file, kind, c.School, c.SchoolName, string(c.Urbanicity), c.Group.Label(),
			c.Band.Label(), quota, ShortID(c), c.URL(m.BaseURL), note})
	}
	for i := range codes {
		row(fileOf[i], &codes[i], "")
	}
	for i := range skipped {
		row("", &skipped[i], notPrinted(m, &skipped[i]))
	}
	cw.Flush()
	return buf.Bytes()
}
