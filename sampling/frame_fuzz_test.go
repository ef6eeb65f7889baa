package sampling_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"renke/sampling"
	"renke/survey"
)

// fuzzFrame is a small valid frame: one primary school in town, one junior
// school in the countryside, one nine-year school in the county seat.
func fuzzFrame(t testing.TB) *sampling.Frame {
	f := &sampling.Frame{
		County: sampling.County{Name: "测试县", Population: 100000, Urban: 50000, Town: 30000, Rural: 20000, Deputies: 120, CPPCC: 90},
		Schools: []sampling.School{
			{Code: "S001", Name: "城关一小", Township: "城关镇", Urbanicity: survey.Urban, Type: sampling.Nine,
				Enrolment: [9]int{100, 98, 97, 95, 90, 88, 120, 118, 115}, Teachers: 80, Principals: 3},
			{Code: "0042", Name: "新集小学", Township: "新集镇", Urbanicity: survey.Town, Type: sampling.Primary,
				Enrolment: [9]int{40, 41, 39, 38, 37, 36}, Teachers: 20, Principals: 2},
			{Code: "S003", Name: "河口中学", Township: "河口乡", Urbanicity: survey.Rural, Type: sampling.Junior,
				Enrolment: [9]int{6: 60, 7: 58, 8: 55}, Teachers: 25, Principals: 2},
		},
	}
	if err := f.Validate(); err != nil {
		t.Fatalf("the fuzz seed frame is invalid: %v", err)
	}
	return f
}

// checkFrameResult holds for both importers: an error is a located
// *FrameError (or, for a workbook, a file that cannot be opened at all), and
// an accepted frame passes Validate and reads back unchanged from its JSON.
func checkFrameResult(t *testing.T, f *sampling.Frame, err error, anyError bool) {
	t.Helper()
	if err != nil {
		if f != nil {
			t.Fatalf("both a frame and an error (%v)", err)
		}
		var fe *sampling.FrameError
		if !errors.As(err, &fe) {
			if !anyError {
				t.Fatalf("error %T %v is not a *FrameError", err, err)
			}
			return
		}
		if len(fe.Problems) == 0 || len(fe.Problems) > sampling.MaxProblems {
			t.Fatalf("%d problems (max %d)", len(fe.Problems), sampling.MaxProblems)
		}
		for _, p := range fe.Problems {
			if p.String() == "" {
				t.Fatalf("a problem without a message: %#v", p)
			}
		}
		return
	}
	if f == nil {
		t.Fatal("neither a frame nor an error")
	}
	if err := f.Validate(); err != nil {
		t.Fatalf("accepted a frame that fails Validate: %v", err)
	}
	b, err := f.JSON()
	if err != nil {
		t.Fatalf("encode an accepted frame: %v", err)
	}
	back, err := sampling.ParseFrameJSON(b)
	if err != nil {
		t.Fatalf("the JSON of an accepted frame is refused: %v\n%s", err, b)
	}
	if !reflect.DeepEqual(f, back) {
		t.Fatalf("JSON round trip changed the frame:\n%+v\n%+v", f, back)
	}
}

// FuzzParseFrameJSON feeds arbitrary bytes to the JSON frame importer.
func FuzzParseFrameJSON(f *testing.F) {
	good, err := fuzzFrame(f).JSON()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	for _, s := range []string{
		`{}`,
		`{"county": null, "schools": null}`,
		`{"county": {"name": "县", "population": "1,000", "urban": 1000, "town": 0, "rural": 0, "deputies": 0, "cppcc": 0}, "schools": []}`,
		`{"county": {"population": 1e400}, "schools": [{"enrolment": [1,2,3]}]}`,
		`{"county": {"population": -5, "urban": "NaN", "town": "Inf", "rural": 1.5}, "schools": [{"code": {"$gt": ""}, "enrolment": [null,null,null,null,null,null,null,null,null]}]}`,
		`{"county": {}, "schools": [{"code": 1}, {"code": 1.0}, {"code": "1"}], "extra": true}`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
		"{\"county\": {\"name\": \"\xff\xfe\"}}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := sampling.ParseFrameJSON(data)
		checkFrameResult(t, fr, err, false)
	})
}

// FuzzReadFrameXLSX feeds arbitrary bytes to the workbook importer, seeded
// with the blank template and a filled one. Mutations mostly break the zip
// container, which is the part of excelize most exposed to hostile uploads.
func FuzzReadFrameXLSX(f *testing.F) {
	var blank, filled bytes.Buffer
	if err := sampling.WriteTemplate(&blank); err != nil {
		f.Fatal(err)
	}
	if err := fuzzFrame(f).WriteXLSX(&filled); err != nil {
		f.Fatal(err)
	}
	f.Add(blank.Bytes())
	f.Add(filled.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fr, err := sampling.ReadFrameXLSX(bytes.NewReader(data))
		checkFrameResult(t, fr, err, true)
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := fr.WriteXLSX(&out); err != nil {
			t.Fatalf("write an accepted frame: %v", err)
		}
		back, err := sampling.ReadFrameXLSX(&out)
		if err != nil || !reflect.DeepEqual(fr, back) {
			t.Fatalf("workbook round trip: %v\n%+v\n%+v", err, fr, back)
		}
	})
}
