package survey

import (
	"testing"
	"time"
)

// TestFormatV2SurvivesPurge: a format-2 record's chain hash covers its
// personal fields through the commitment, so removing them keeps the hash,
// while an edited field breaks the commitment and an edited answer the
// hash; a format-1 record's hash covers the fields themselves.
func TestFormatV2SurvivesPurge(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	mk := func() *Response {
		return &Response{ID: "r1", SurveyID: "s", Code: "c", CodeKind: OneTimeCode, Form: SocialForm, FormVersion: 1,
			Group: Parent, Answers: map[string]string{"c01": "1"}, StartedAt: now.Add(-time.Minute), SubmittedAt: now,
			DeviceID: "dev-1", AddrHash: "addr", UAFamily: "wechat"}
	}
	v1 := mk()
	v1.Seal(0, GenesisHash)
	r := mk()
	r.CommitPersonal(key)
	r.Seal(0, GenesisHash)
	if r.Format != FormatV2 || r.Hash == v1.Hash || !r.CommitmentHolds(key) {
		t.Fatalf("format 2 record: %+v", r)
	}
	edited := *r
	edited.DeviceID = "dev-2"
	if edited.CommitmentHolds(key) || ChainHash(GenesisHash, &edited) != r.Hash {
		t.Fatal("an edited device id must break the commitment (the chain hash covers only the commitment)")
	}
	purged := *r
	purged.DeviceID, purged.AddrHash, purged.UAFamily = "", "", ""
	if !purged.Purged() || ChainHash(GenesisHash, &purged) != r.Hash || !purged.CommitmentHolds(nil) {
		t.Fatal("a purged format-2 record must keep its chain hash")
	}
	purged.Answers = map[string]string{"c01": "4"}
	if ChainHash(GenesisHash, &purged) == r.Hash {
		t.Fatal("an edited answer must change the hash")
	}
	v1p := *v1
	v1p.DeviceID = ""
	if ChainHash(GenesisHash, &v1p) == v1.Hash || v1p.Purged() {
		t.Fatal("a format-1 record's hash covers its device id")
	}
}
