package api_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"renke/dossier"
)

// TestConsoleDossier: the report page links the evaluator's package, which
// downloads as a ZIP signed with the server's key that verifies offline.
func TestConsoleDossier(t *testing.T) {
	f, key := newSignedConsoleFixture(t)
	sv, rs := f.openWithResponses(4)
	ev := f.login("eval")
	if _, body := ev.get("/console/surveys/" + sv.ID + "/report"); !strings.Contains(string(body), `href="/console/surveys/`+sv.ID+`/dossier.zip"`) {
		t.Error("the report page does not link the evaluator's package")
	}
	res, body := ev.get("/console/surveys/" + sv.ID + "/dossier.zip")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "dossier-"+sv.ID+".zip") {
		t.Fatalf("dossier.zip: %d %q %q %.200s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), body)
	}
	v, err := dossier.Verify(bytes.NewReader(body), int64(len(body)), dossier.Options{Fingerprint: key.Fingerprint()})
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK() || v.Responses != len(rs) || v.Manifest.SurveyID != sv.ID {
		t.Fatalf("downloaded package: %d responses of %d, survey %s, problems %v", v.Responses, len(rs), v.Manifest.SurveyID, v.Problems)
	}
}

// TestConsoleDossierWithoutKey: a server without a signing key refuses the
// package with a reason rather than serving an unsigned one.
func TestConsoleDossierWithoutKey(t *testing.T) {
	f := newConsoleFixture(t)
	sv, _ := f.openWithResponses(2)
	res, body := f.login("eval").get("/console/surveys/" + sv.ID + "/dossier.zip")
	if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "签名密钥") {
		t.Errorf("dossier.zip without a key: %d %.200s", res.StatusCode, body)
	}
}
