package signing

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadKeepsGeneratedKey(t *testing.T) {
	dir := t.TempDir()
	k1, err := Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	k2, err := Load(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k1.Public(), k2.Public()) {
		t.Fatal("a second load made a new key instead of reading the kept one")
	}
	st, err := os.Stat(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
	}
}

func TestEnvWinsAndSignaturesVerify(t *testing.T) {
	seed := bytes.Repeat([]byte{7}, 32)
	k, err := Load(t.TempDir(), hex.EncodeToString(seed))
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := FromSeed(seed)
	if k.Fingerprint() != k2.Fingerprint() {
		t.Fatal("the env seed did not give its key")
	}
	msg := []byte("checkpoint")
	sig := k.Sign(msg)
	if !Verify(k.Public(), msg, sig) {
		t.Fatal("own signature does not verify")
	}
	if Verify(k.Public(), []byte("checkpoinT"), sig) {
		t.Fatal("signature verifies a changed message")
	}
	pub, err := DecodePublic(EncodePublic(k.Public()))
	if err != nil || !bytes.Equal(pub, k.Public()) {
		t.Fatalf("public key round trip: %v", err)
	}
	if _, err := Load(t.TempDir(), "short"); err == nil {
		t.Fatal("a malformed RENKE_SIGNING_KEY was accepted")
	}
}
