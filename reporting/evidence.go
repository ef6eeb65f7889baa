package reporting

import (
	"context"

	"renke/evidence/checkpoint"
	"renke/report"

	"renke/hashchain"
	"renke/survey"
)

// responseCheck completes the check of a survey's loaded chain with what
// the database said of its end (head hint, newest checkpoint) before the
// responses were read: a tail cut below them, or a record at them
// rewritten, is named.
func responseCheck(l *loaded) hashchain.Result {
	return l.check.With(hashchain.CheckAnchors(l.check.Last, func(seq int64) (string, bool) {
		r := responseAt(l.responses, seq)
		if r == nil {
			return "", false
		}
		return r.Hash, true
	}, l.anchors)...)
}

// responseAt finds the response with sequence number seq among rs, which
// are in ascending seq order (gaps allowed).
func responseAt(rs []survey.Response, seq int64) *survey.Response {
	lo, hi := 0, len(rs)
	if i := int(seq - 1); i >= 0 && i < len(rs) && rs[i].Seq == seq {
		return &rs[i]
	}
	for lo < hi {
		m := (lo + hi) / 2
		if rs[m].Seq < seq {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(rs) && rs[lo].Seq == seq {
		return &rs[lo]
	}
	return nil
}

// auditAnchors is what the database says of the audit log's end.
func auditAnchors(ctx context.Context, st Source) ([]hashchain.Anchor, error) {
	return st.Anchors(ctx, checkpoint.AuditChain)
}

// signHeads puts into the report a checkpoint of each chain's verified head,
// signed with the server's key, for the evaluator to keep with the report;
// a chain that did not verify gets none.
func signHeads(st Source, d *report.Published) {
	rep := d.Report
	k := st.SigningKey()
	if k == nil {
		return
	}
	if d.ResponseCheck.OK {
		rep.Checkpoint = checkpoint.Sign(k, d.Survey.ID, d.ResponseCheck.Verified, d.ResponseCheck.Head, d.Generated)
	}
	if d.AuditCheck.OK {
		rep.Verification.AuditCheckpoint = checkpoint.Sign(k, checkpoint.AuditChain, d.AuditCheck.Verified, d.AuditCheck.Head, d.Generated)
	}
}
