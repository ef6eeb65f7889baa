package report_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"renke/report"
)

// readAllReplication reads every row, stopping at the first error.
func readAllReplication(data []byte) (items []string, rows []report.ReplicationRow, err error) {
	rr, err := report.NewReplicationReader(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	for {
		row, err := rr.Read()
		if errors.Is(err, io.EOF) {
			return rr.Items(), rows, nil
		}
		if err != nil {
			return rr.Items(), rows, err
		}
		rows = append(rows, row)
	}
}

// FuzzReadReplication feeds arbitrary files to the replication CSV reader: it
// must never panic, every error must be located (a *CSVError with a line), and
// a file it reads whole must come back the same from ReplicationWriter.
func FuzzReadReplication(f *testing.F) {
	golden, err := os.ReadFile("testdata/replication.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	head := strings.Join(report.ReplicationColumns, ",")
	for _, s := range []string{
		head + ",q1\r\nr1,parent,城区,S001,12.5,0.75,false,burst;speeder,1\r\n",
		"\ufeff" + head + "\nr1,student,s,p,1,,0,,\n",
		head + ",q1,q1\n",
		head + "\nr1,parent,s,p,NaN,0.5,false,\n",
		head + "\nr1,parent,s,p,1e308,1,TRUE,\n r2 ,Teacher, s ,\"p\"\"q\",0x10,-0,1, ;; \n",
		head + "\n\"r1\nr1\",parent,s,p,1,1,false,\"a\"b\n",
		"RESPONSE_ID,Group,stratum,psu,weight,y,excluded,flags,weight\n",
		head + "\nr1,parent,s,p,1,1,false\n",
		"",
		"\ufeff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, rows, err := readAllReplication(data)
		if err != nil {
			var ce *report.CSVError
			if !errors.As(err, &ce) || ce.Line < 1 || ce.Msg == "" {
				t.Fatalf("error %T %v is not a located *CSVError", err, err)
			}
			return
		}
		for _, r := range rows {
			if !(r.Weight > 0) || r.ResponseID == "" || r.PSU == "" || r.HasY && !(r.Y >= 0 && r.Y <= 1) || !r.Group.Valid() {
				t.Fatalf("accepted an invalid row %+v", r)
			}
		}
		// Write what was read and read it again. encoding/csv's writer, with
		// CRLF line ends, drops a lone CR inside a field: such files cannot
		// round-trip, by the CSV library's choice rather than the reader's.
		if strings.ContainsRune(strings.Join(items, ","), '\r') {
			return
		}
		var out bytes.Buffer
		w, err := report.NewReplicationWriter(&out, items)
		if err != nil {
			t.Fatalf("the writer refuses the header the reader accepted (%q): %v", items, err)
		}
		for _, r := range rows {
			if strings.ContainsRune(r.Stratum+r.PSU+r.ResponseID+strings.Join(r.Flags, ";"), '\r') {
				return
			}
			for _, v := range r.Answers {
				if strings.ContainsRune(v, '\r') {
					return
				}
			}
			if err := w.Write(r); err != nil {
				t.Fatalf("write back row %s: %v", r.ResponseID, err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		items2, rows2, err := readAllReplication(out.Bytes())
		if err != nil {
			t.Fatalf("the written file is refused: %v\n%s", err, out.Bytes())
		}
		if !reflect.DeepEqual(items, items2) || len(rows) != len(rows2) {
			t.Fatalf("write and read changed the header or the row count: %q → %q, %d → %d rows", items, items2, len(rows), len(rows2))
		}
		for i := range rows {
			if !reflect.DeepEqual(rows[i], rows2[i]) {
				t.Fatalf("write and read changed row %d:\n%+v\n%+v", i+1, rows[i], rows2[i])
			}
		}
	})
}
