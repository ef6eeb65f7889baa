package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"renke/config"
	"renke/sheets"
	"renke/survey"
)

func init() {
	register("sheets", "print QR sheets (PDF/ZIP) from a JSON list of codes", runSheets)
}

func runSheets(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sheets", flag.ContinueOnError)
	in := fs.String("codes", "-", "JSON list of codes, as `renke codes --format json` prints (- = standard input)")
	out := fs.String("out", "sheets.zip", "output: .zip (all sheets), or .pdf (shared codes as sheets, one-time codes as slips)")
	title := fs.String("title", "", "survey title printed on the sheets")
	opens := fs.String("opens", "", "survey opens, 2006-01-02 or 2006-01-02 15:04 (Beijing time) or RFC 3339")
	closes := fs.String("closes", "", "survey closes (a date alone means the end of that day)")
	publicURL := config.PublicURLFlag(fs)
	if err := parseArgs(fs, args); err != nil {
		return err
	}
	base, err := publicURL()
	if err != nil {
		return err
	}
	m := sheets.Meta{Title: *title, BaseURL: base}
	if m.Opens, err = parseWhen(*opens, false); err != nil {
		return fmt.Errorf("--opens: %w", err)
	}
	if m.Closes, err = parseWhen(*closes, true); err != nil {
		return fmt.Errorf("--closes: %w", err)
	}
	codes, used, err := readCodes(*in)
	if err != nil {
		return err
	}
	m.Used = used
	var buf bytes.Buffer
	switch strings.ToLower(filepath.Ext(*out)) {
	case ".zip":
		err = sheets.ZIP(&buf, m, codes)
	case ".pdf":
		err = onePDF(&buf, m, codes)
	default:
		return fmt.Errorf("--out %s: want a .zip or .pdf file", *out)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Printf("已生成 %s：%d 个二维码\n", *out, len(codes))
	return nil
}

// onePDF prints shared codes as sheets or one-time codes as slips.
func onePDF(w io.Writer, m sheets.Meta, codes []survey.Code) error {
	kinds := map[survey.CodeKind]bool{}
	for _, c := range codes {
		kinds[c.Kind] = true
	}
	switch {
	case len(kinds) > 1:
		return errors.New("the list mixes shared and one-time codes: write a .zip instead")
	case kinds[survey.OneTimeCode]:
		return sheets.Slips(w, m, codes)
	}
	return sheets.SchoolSheet(w, m, codes)
}

// readCodes reads the JSON list `renke codes --format json` prints: the codes
// and how many answers each has taken.
func readCodes(path string) ([]survey.Code, map[string]int64, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read codes: %w", err)
	}
	var rows []struct {
		survey.Code
		Used int64 `json:"used"`
	}
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, nil, fmt.Errorf("read codes: want a JSON list of codes: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, errors.New("read codes: the list is empty")
	}
	codes := make([]survey.Code, len(rows))
	used := make(map[string]int64, len(rows))
	for i, r := range rows {
		codes[i] = r.Code
		used[r.Code.Code] = r.Used
	}
	return codes, used, nil
}

// parseWhen reads a time in Beijing time; a bare date at the end of the day
// means 23:59 of it.
func parseWhen(s string, endOfDay bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	cst := time.FixedZone("CST", 8*3600)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if t, err := time.ParseInLocation("2006-01-02 15:04", s, cst); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, cst)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want 2006-01-02, 2006-01-02 15:04 or RFC 3339", s)
	}
	if endOfDay {
		t = t.Add(24*time.Hour - time.Minute)
	}
	return t, nil
}
