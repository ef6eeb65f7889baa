package sampling

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// bomb is the frame workbook of fixedFrame with its sheet 学校 replaced by
// rows of perRow shared-string cells (the issue's
// "<row><c t="s"><v>0</v></c>…</row>") until the sheet's XML reaches size
// bytes unzipped, plus pad random (incompressible) bytes in a picture part.
// The sheet is deflated once per 1 MB chunk and the chunk's deflate blocks
// repeated, so building a 200 MB bomb takes milliseconds.
func bomb(t *testing.T, size, perRow, pad int) []byte {
	t.Helper()
	src := xlsxBytes(t, fixedFrame(), nil)
	xf, err := excelize.OpenReader(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	part := ""
	for id, name := range xf.GetSheetMap() {
		if name == SheetSchools {
			part = fmt.Sprintf("xl/worksheets/sheet%d.xml", id)
		}
	}
	_ = xf.Close()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	found := false
	for _, f := range zr.File {
		if f.Name == part {
			found = true
			writeSheetBomb(t, zw, part, size, perRow)
			continue
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		_, _ = io.Copy(w, rc)
		_ = rc.Close()
	}
	if !found {
		t.Fatalf("no part %s in the workbook", part)
	}
	if pad > 0 {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: "xl/media/image1.png", Method: zip.Store})
		noise := make([]byte, pad)
		_, _ = crand.Read(noise)
		_, _ = w.Write(noise)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// writeSheetBomb writes the sheet part name as raw deflate data: a head, a
// 1 MB chunk of rows repeated until size, a tail.
func writeSheetBomb(t *testing.T, zw *zip.Writer, name string, size, perRow int) {
	t.Helper()
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	tail := []byte(`</sheetData></worksheet>`)
	row := "<row>" + strings.Repeat(`<c t="s"><v>0</v></c>`, perRow) + "</row>"
	chunk := []byte(strings.Repeat(row, (1<<20)/len(row)))
	// deflate compresses p on its own, ending on a byte boundary (sync flush)
	// so that such pieces concatenate into one stream.
	deflate := func(p []byte) []byte {
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		_, _ = fw.Write(p)
		_ = fw.Flush()
		return b.Bytes()
	}
	var final bytes.Buffer
	fw, _ := flate.NewWriter(&final, flate.BestCompression)
	_ = fw.Close()
	dh, dc, dt := deflate(head), deflate(chunk), deflate(tail)
	n := (size - len(head) - len(tail) + len(chunk) - 1) / len(chunk)
	crc := crc32.Update(0, crc32.IEEETable, head)
	for range n {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	fh := &zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc,
		UncompressedSize64: uint64(len(head) + n*len(chunk) + len(tail)),
		CompressedSize64:   uint64(len(dh) + n*len(dc) + len(dt) + final.Len())}
	w, err := zw.CreateRaw(fh)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(dh)
	for range n {
		_, _ = w.Write(dc)
	}
	_, _ = w.Write(dt)
	_, _ = w.Write(final.Bytes())
}

// heapPeak samples the live heap until stop is called and returns the
// highest value seen above the baseline taken at the start.
func heapPeak() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > base && v-base > peak.Load() {
				peak.Store(v - base)
			}
			select {
			case <-done:
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// peakRSS resets the kernel's peak-RSS mark (Linux) and returns a function
// reading the new peak in bytes; 0 where /proc does not offer it.
func peakRSS() func() uint64 {
	if os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) != nil {
		return func() uint64 { return 0 }
	}
	return func() uint64 {
		status, _ := os.ReadFile("/proc/self/status")
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				return kb << 10
			}
		}
		return 0
	}
}

// maxExtraMemory is the bound on what refusing bombs may take.
const maxExtraMemory = 100 << 20

// TestWorkbookBombsRefused: workbooks that expand far past any county frame
// are refused (the 200 MB one three at once) with less than 100 MB of extra heap. Time and
// memory are measured and logged (BENCHMARKS.md); only the memory bound and
// the refusal are asserted.
func TestWorkbookBombsRefused(t *testing.T) {
	cases := []struct {
		name              string
		size, perRow, pad int
		parallel          int // parses at once
		check             func(t *testing.T, err error)
	}{
		{"200 MB unzipped, 3 at once", 200 << 20, 16, 0, 3, func(t *testing.T, err error) {
			if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "解压后超过") {
				t.Errorf("want a refusal for size, got %v", err)
			}
		}},
		// Within the size bounds but with far too many rows: the streamed
		// rows stop at the row bound.
		{"30 MB unzipped, 170 000 rows of 8 cells", 30 << 20, 8, 0, 1, boundAt(MaxFrameRows+1, "超过 10001 行")},
		{"30 MB unzipped, 24 000 rows of 60 cells", 30 << 20, 60, 0, 1, boundAt(MaxFrameCells/60+1, "个单元格")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.parallel == 1 && testing.Short() {
				t.Skip("rows read up to the bound: skipped in -short mode")
			}
			data := bomb(t, tc.size, tc.perRow, tc.pad)
			rss := peakRSS()
			stop := heapPeak()
			start := time.Now()
			errs := make([]error, tc.parallel)
			var wg sync.WaitGroup
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = ReadFrameXLSX(bytes.NewReader(data))
				}()
			}
			wg.Wait()
			took := time.Since(start)
			peak := stop()
			if len(errs) > 0 && errs[0] != nil {
				t.Logf("first error: %.200s", errs[0])
			}
			t.Logf("%d KB workbook expanding to %d MB: %d at once refused in %v, heap peak +%.1f MB, process peak RSS %.1f MB",
				len(data)>>10, tc.size>>20, tc.parallel, took.Round(time.Millisecond), float64(peak)/(1<<20), float64(rss())/(1<<20))
			for _, err := range errs {
				tc.check(t, err)
			}
			if peak > maxExtraMemory {
				t.Errorf("refusing took %.1f MB of extra heap, want < %d MB", float64(peak)/(1<<20), maxExtraMemory>>20)
			}
		})
	}
}

// boundAt checks that a read stopped with a problem of the sheet 学校 at row.
func boundAt(row int, msg string) func(t *testing.T, err error) {
	return func(t *testing.T, err error) {
		var fe *FrameError
		if !errors.As(err, &fe) || len(fe.Problems) == 0 {
			t.Fatalf("want a *FrameError at a bound, got %v", err)
		}
		p := fe.Problems[len(fe.Problems)-1]
		if p.Sheet != SheetSchools || p.Row != row || !strings.Contains(p.Message, msg) {
			t.Errorf("bound problem %+v, want row %d and %q", p, row, msg)
		}
	}
}

// TestFrameWideRowRefused: a row with text past MaxFrameCols columns is refused.
func TestFrameWideRowRefused(t *testing.T) {
	data := xlsxBytes(t, fixedFrame(), func(xf *excelize.File) {
		cell, _ := excelize.CoordinatesToCellName(MaxFrameCols+5, 3)
		_ = xf.SetCellValue(SheetSchools, cell, "x")
	})
	_, err := ReadFrameXLSX(bytes.NewReader(data))
	var fe *FrameError
	if !errors.As(err, &fe) || !hasProblem(fe, SheetSchools, 3, "", "超过 64 列") {
		t.Fatalf("want the column bound at row 3, got %v", err)
	}
}

// TestFrameParseStopsWithClient: a parse gives up when its context ends,
// whether it waits for a slot (all taken) or has started.
func TestFrameParseStopsWithClient(t *testing.T) {
	data := xlsxBytes(t, fixedFrame(), nil)
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ReadFrameXLSXContext(gone, bytes.NewReader(data)); !errors.Is(err, context.Canceled) {
		t.Errorf("canceled before the parse: %v", err)
	}
	for range maxParses {
		parseSlots <- struct{}{}
	}
	_, err := ReadFrameXLSXContext(gone, bytes.NewReader(data))
	for range maxParses {
		<-parseSlots
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("waiting for a slot: %v", err)
	}
	if _, err := ReadFrameXLSXContext(context.Background(), bytes.NewReader(data)); err != nil {
		t.Errorf("with a free slot and a live client: %v", err)
	}
}
