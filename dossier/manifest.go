package dossier

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	"renke/signing"
)

// Manifest is manifest.json: the package's files with their SHA-256 sums and
// the public half of the key that signed it (manifest.sig).
type Manifest struct {
	Format      string    `json:"format"`
	SurveyID    string    `json:"survey_id"`
	County      string    `json:"county"`
	Title       string    `json:"title"`
	Generated   time.Time `json:"generated"`
	Version     string    `json:"renke_version"`
	ChainLength int64     `json:"chain_length"`
	ChainHead   string    `json:"chain_head"`
	PublicKey   string    `json:"public_key"`  // Ed25519, base64
	Fingerprint string    `json:"fingerprint"` // signing.Fingerprint of the key
	Files       []FileSum `json:"files"`
}

// FileSum is one file of the package.
type FileSum struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
}

// sumOf is a file's entry in the manifest.
func sumOf(name string, b []byte) FileSum {
	s := sha256.Sum256(b)
	return FileSum{Name: name, SHA256: hex.EncodeToString(s[:]), Size: len(b)}
}

// sign returns manifest.sig for the manifest's bytes.
func sign(key *signing.Key, manifest []byte) []byte {
	return []byte(base64.StdEncoding.EncodeToString(key.Sign(manifest)) + "\n")
}

// checkSignature checks manifest.sig against the manifest's own public key
// and, when given, the fingerprint the evaluator expects.
func checkSignature(m *Manifest, manifest, sig []byte, fingerprint string) error {
	pub, err := signing.DecodePublic(m.PublicKey)
	if err != nil {
		return fmt.Errorf("%s：公钥无效：%w", FileManifest, err)
	}
	if got := signing.Fingerprint(pub); got != m.Fingerprint {
		return fmt.Errorf("%s：公钥指纹应为 %s，清单写的是 %s", FileManifest, got, m.Fingerprint)
	}
	if fingerprint != "" && fingerprint != m.Fingerprint {
		return fmt.Errorf("签名密钥指纹为 %s，不是预期的 %s（复核包可能由他人重新签名）", m.Fingerprint, fingerprint)
	}
	raw, err := base64.StdEncoding.DecodeString(string(trimSpace(sig)))
	if err != nil {
		return fmt.Errorf("%s：签名不是有效的 base64：%w", FileSignature, err)
	}
	if !signing.Verify(pub, manifest, raw) {
		return fmt.Errorf("%s：签名与 %s 不符（清单被改动或签名被替换）", FileSignature, FileManifest)
	}
	return nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}
