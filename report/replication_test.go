package report

import (
	"bytes"
	"errors"
	"io"
	"math"
	"reflect"
	"strings"
	"testing"

	"renke/survey"
)

func TestReplicationRoundTrip(t *testing.T) {
	rows := []ReplicationRow{
		{ResponseID: "r1", Group: survey.Parent, Stratum: "school|城区", PSU: "S1", Weight: 2281.0 / 3, Y: 2.0 / 3, HasY: true,
			Answers: map[string]string{"c01": "1", "c02": "4", "c03": "9"}},
		{ResponseID: "r2", Group: survey.Public, Stratum: "public|乡村", PSU: "r2", Weight: 36265, Excluded: true,
			Flags: []string{"speeder", "burst"}, Answers: map[string]string{"c01": "9", "c02": "9", "c03": "9"}},
		{ResponseID: "r,3", Group: survey.Teacher, Stratum: "school|镇区", PSU: "S\"4", Weight: 1e-7, Y: 0.1 + 0.2, HasY: true,
			Answers: map[string]string{"c01": "2"}},
		// Formula injection: written as text, read back as it was.
		{ResponseID: "-A1-A2-A3-A4-A5-A6", Group: survey.Parent, Stratum: "school|城区", PSU: `=HYPERLINK("http://x.example","y")`,
			Weight: 3, Answers: map[string]string{"c01": "@SUM(1)", "c02": "+cmd|x!A0", "c03": "'=1"}},
	}
	items := []string{"c01", "c02", "c03"}
	var buf bytes.Buffer
	w, err := NewReplicationWriter(&buf, items)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xef\xbb\xbfresponse_id,group,stratum,psu,weight,y,excluded,flags,c01,c02,c03\r\n")) {
		t.Fatalf("header: %q", buf.String()[:80])
	}
	if !strings.Contains(buf.String(), "r2,public,public|乡村,r2,36265,,true,speeder;burst,9,9,9") {
		t.Errorf("row 2 as written:\n%s", buf.String())
	}
	for _, cell := range []string{"\r\n'-A1-A2-A3-A4-A5-A6,", `,"'=HYPERLINK(""http://x.example"",""y"")",`, ",'@SUM(1),'+cmd|x!A0,''=1\r\n"} {
		if !strings.Contains(buf.String(), cell) {
			t.Errorf("file lacks %q:\n%s", cell, buf.String())
		}
	}
	rr, err := NewReplicationReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rr.Items(), items) {
		t.Errorf("items %v", rr.Items())
	}
	for i, want := range rows {
		got, err := rr.Read()
		if err != nil {
			t.Fatal(err)
		}
		if want.Answers["c02"] == "" {
			delete(want.Answers, "c02")
			delete(want.Answers, "c03")
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i+1, got, want)
		}
	}
	if _, err := rr.Read(); err != io.EOF {
		t.Errorf("after the last row: %v", err)
	}
}

func TestReplicationReaderSpellings(t *testing.T) {
	in := "response_id,group,stratum,psu,weight,y,excluded,flags\n" +
		"a,parent,h,p,1,1,TRUE,\n" + "b,parent,h,p,1,1,True,\n" + "c,parent,h,p,1,1,1,\n" +
		"d,parent,h,p,1,0.5,FALSE,\n" + "e,parent,h,p,1, ,0,\n" + "f,parent,h,p,1,0,false,\n"
	rr, err := NewReplicationReader(strings.NewReader(in)) // no BOM: still fine
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		excluded, hasY bool
	}{{true, true}, {true, true}, {true, true}, {false, true}, {false, false}, {false, true}}
	for i, w := range want {
		row, err := rr.Read()
		if err != nil {
			t.Fatal(err)
		}
		if row.Excluded != w.excluded || row.HasY != w.hasY {
			t.Errorf("row %d: excluded %v hasY %v, want %v %v", i+1, row.Excluded, row.HasY, w.excluded, w.hasY)
		}
		u := row.Unit()
		if u.Valid() != (w.hasY && !w.excluded) || u.Weight != 1 {
			t.Errorf("row %d unit %+v", i+1, u)
		}
	}
}

func TestReplicationReaderErrors(t *testing.T) {
	head := "response_id,group,stratum,psu,weight,y,excluded,flags,q1\n"
	cases := []struct {
		name, in, want string
	}{
		{"empty", "", "第 1 行：文件为空"},
		{"header", "id,group,stratum,psu,weight,y,excluded,flags\n", "第 1 行第 1 列：表头应为 response_id"},
		{"short header", "response_id,group\n", "表头缺少列 stratum"},
		{"duplicate item", "response_id,group,stratum,psu,weight,y,excluded,flags,q1,q1\n", "第 1 行第 10 列：列名“q1”与第 9 列重复"},
		{"item named like a column", "response_id,group,stratum,psu,weight,Y,excluded,flags,y\n", "第 1 行第 9 列：列名“y”与第 6 列重复"},
		{"weight", head + "a,parent,h,p,1,1,0,,1\nb,parent,h,p,abc,1,0,,1\n", "第 3 行第 5 列（weight）：权重“abc”应为正数"},
		{"zero weight", head + "a,parent,h,p,0,1,0,,1\n", "第 2 行第 5 列（weight）"},
		{"group", head + "a,parents,h,p,1,1,0,,1\n", "第 2 行第 2 列（group）"},
		{"y", head + "a,parent,h,p,1,1.5,0,,1\n", "第 2 行第 6 列（y）：得分“1.5”应为 0 到 1 之间的数"},
		{"excluded", head + "a,parent,h,p,1,1,yes,,1\n", "第 2 行第 7 列（excluded）：“yes”应为 true/false 或 1/0"},
		{"psu", head + "a,parent,h,,1,1,0,,1\n", "第 2 行第 4 列（psu）：PSU 为空"},
		{"id", head + " ,parent,h,p,1,1,0,,1\n", "第 2 行第 1 列（response_id）"},
		{"fields", head + "a,parent,h,p,1,1,0,,1\nb,parent,h,p,1,1,0\n", "第 3 行"},
		{"quote", head + "a,parent,h,p,1,1,0,,\"1\n", "第 2 行"},
	}
	for _, c := range cases {
		rr, err := NewReplicationReader(strings.NewReader(c.in))
		for err == nil {
			_, err = rr.Read()
		}
		var ce *CSVError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

func TestWriterRejectsCollidingItems(t *testing.T) {
	for _, items := range [][]string{{"q1", "weight"}, {"Weight"}, {"q1", "q1"}} {
		if _, err := NewReplicationWriter(io.Discard, items); err == nil {
			t.Errorf("items %v accepted", items)
		}
	}
}

// Weights written with the shortest round-trip format read back exactly.
func TestReplicationWeightsExact(t *testing.T) {
	var buf bytes.Buffer
	w, _ := NewReplicationWriter(&buf, nil)
	ws := []float64{1.0 / 3, 2281.0 / 7, math.Nextafter(1, 2), 123456789.123456789}
	for i, x := range ws {
		if err := w.Write(ReplicationRow{ResponseID: string(rune('a' + i)), Group: survey.Parent, Stratum: "h", PSU: "p", Weight: x}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rr, err := NewReplicationReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ws {
		row, err := rr.Read()
		if err != nil || row.Weight != x {
			t.Errorf("weight %v read back as %v (%v)", x, row.Weight, err)
		}
	}
}
