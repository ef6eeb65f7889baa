package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"renke/report"
)

// XLSXType is the media type of an Excel workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Format is one file format of a survey's report: its name (as `renke
// report --format` and the download routes spell it), media type, file
// extension and writer.
type Format struct {
	Name, MediaType, Ext string
	Write                func(io.Writer, *report.Published) error
}

// Formats are the report's file formats, the one table the command line and
// the HTTP downloads use.
var Formats = []Format{
	{Name: "html", MediaType: "text/html; charset=utf-8", Ext: "html", Write: HTML},
	{Name: "json", MediaType: "application/json; charset=utf-8", Ext: "json", Write: JSON},
	{Name: "pdf", MediaType: "application/pdf", Ext: "pdf", Write: PDF},
	{Name: "xlsx", MediaType: XLSXType, Ext: "xlsx", Write: XLSX},
}

// FormatNamed is the report format called name.
func FormatNamed(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}

// FormatNames lists the report formats' names, comma-separated, for messages.
func FormatNames() string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// JSON writes the report as indented JSON; a survey without estimates gets
// its id, county, number of responses and why there is no report.
func JSON(w io.Writer, p *report.Published) error {
	if err := checkInput(p); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	var err error
	if p.Report == nil {
		err = enc.Encode(map[string]any{"survey_id": p.Survey.ID, "county": p.Survey.County,
			"responses": len(p.Responses), "no_data": report.ErrNoData.Error()})
	} else {
		err = enc.Encode(p.Report)
	}
	if err != nil {
		return fmt.Errorf("json report: %w", err)
	}
	return nil
}

// CityFormat is one file format of the city view.
type CityFormat struct {
	Name, MediaType, Ext string
	Write                func(w io.Writer, rows []CityRow, generated time.Time, version string) error
}

// CityFormats are the city view's file formats (command line and console).
var CityFormats = []CityFormat{
	{Name: "html", MediaType: "text/html; charset=utf-8", Ext: "html", Write: CityHTML},
	{Name: "xlsx", MediaType: XLSXType, Ext: "xlsx", Write: CityXLSX},
}

// CityFormatNamed is the city view's format called name.
func CityFormatNamed(name string) (CityFormat, bool) {
	for _, f := range CityFormats {
		if f.Name == name {
			return f, true
		}
	}
	return CityFormat{}, false
}
