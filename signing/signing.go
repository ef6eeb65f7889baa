// Package signing holds the server's Ed25519 signing key, with which renke
// signs chain checkpoints and the evaluator's package manifest, and checks
// such signatures with nothing but the public key.
package signing

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// FileName is the key's file under the data directory.
const FileName = "signing.key"

// Key is a private Ed25519 signing key.
type Key struct{ priv ed25519.PrivateKey }

// Load returns the key given by env (RENKE_SIGNING_KEY: the 32-byte seed in
// base64 or hex), or the one kept under dir, generating and keeping one when
// there is none. Every replica of a deployment must share the key.
func Load(dir, env string) (*Key, error) {
	if env = strings.TrimSpace(env); env != "" {
		seed, err := decodeSeed(env)
		if err != nil {
			return nil, fmt.Errorf("RENKE_SIGNING_KEY: %w", err)
		}
		return FromSeed(seed)
	}
	path := filepath.Join(dir, FileName)
	b, err := os.ReadFile(path)
	if err == nil {
		seed, err := decodeSeed(strings.TrimSpace(string(b)))
		if err != nil {
			return nil, fmt.Errorf("signing key %s: %w", path, err)
		}
		return FromSeed(seed)
	}
	if !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read signing key %s: %w", path, err)
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("generate signing key: %w", err)
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(seed)+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("keep signing key in %s: %w", path, err)
	}
	return FromSeed(seed)
}

// decodeSeed reads a 32-byte seed written in base64 or hex.
func decodeSeed(s string) ([]byte, error) {
	if b, err := hex.DecodeString(s); err == nil && len(b) == ed25519.SeedSize {
		return b, nil
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != ed25519.SeedSize {
		return nil, fmt.Errorf("want a %d-byte Ed25519 seed in base64 or hex", ed25519.SeedSize)
	}
	return b, nil
}

// FromSeed makes a key from its 32-byte seed.
func FromSeed(seed []byte) (*Key, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("signing key: seed is %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return &Key{priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// Sign signs msg.
func (k *Key) Sign(msg []byte) []byte { return ed25519.Sign(k.priv, msg) }

// Public is the key's public half.
func (k *Key) Public() ed25519.PublicKey { return k.priv.Public().(ed25519.PublicKey) }

// Fingerprint is the public key's fingerprint.
func (k *Key) Fingerprint() string { return Fingerprint(k.Public()) }

// Fingerprint names a public key: the first 16 bytes of its SHA-256 in hex,
// in groups of four, short enough to print on a report and compare by eye.
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	h := hex.EncodeToString(sum[:16])
	var parts []string
	for i := 0; i < len(h); i += 4 {
		parts = append(parts, h[i:i+4])
	}
	return strings.Join(parts, ":")
}

// EncodePublic writes a public key as base64, the form reports and packages carry.
func EncodePublic(pub ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(pub) }

// DecodePublic reads a public key written by EncodePublic.
func DecodePublic(s string) (ed25519.PublicKey, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: want %d bytes in base64", ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(b), nil
}

// Verify reports whether sig is pub's signature of msg.
func Verify(pub ed25519.PublicKey, msg, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(pub, msg, sig)
}
