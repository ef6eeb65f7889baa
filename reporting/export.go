package reporting

import (
	"fmt"
	"io"

	"renke/report"
)

// WriteReplication writes the replication file of a built report: one row per
// response with its design stratum, PSU, cell weight, y, exclusion and flags,
// then every raw answer.
func WriteReplication(w io.Writer, rep *report.Report, d *Data) error {
	weights := map[string]float64{}
	for _, c := range rep.Cells {
		weights[c.Cell] = c.Weight
	}
	rw, err := report.NewReplicationWriter(w, ItemIDs(d.Survey))
	if err != nil {
		return err
	}
	for i := range d.Responses {
		r := &d.Responses[i]
		u := report.FromResponse(r, d.Survey.Forms[r.Form], d.Survey.Scheme)
		row := report.ReplicationRow{ResponseID: r.ID, Group: r.Group, Stratum: u.Stratum, PSU: u.PSU,
			Weight: weights[u.Cell], Y: u.Y, HasY: u.HasY, Answers: r.Answers}
		if row.Weight == 0 {
			row.Weight = 1
		}
		if dec, ok := d.Quality.Decision(r.ID); ok {
			row.Excluded = dec.Excluded
			for _, f := range dec.Flags {
				row.Flags = append(row.Flags, string(f))
			}
		}
		if err := rw.Write(row); err != nil {
			return fmt.Errorf("replication row %s: %w", r.ID, err)
		}
	}
	return rw.Flush()
}
