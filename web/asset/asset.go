// Package asset names embedded static files by their content, so pages can
// link them with a long cache lifetime and still pick up every change.
package asset

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"sync"
)

// URLs returns the function that maps a file at the root of fsys to its URL
// under prefix, versioned by a hash of its content ("/static/form.css?v=…").
// The files are hashed once, on first use; a missing tree panics then, since
// it is embedded in the binary.
func URLs(fsys fs.FS, prefix string) func(name string) (string, error) {
	versions := sync.OnceValue(func() map[string]string {
		out := map[string]string{}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			panic(fmt.Sprintf("asset: read embedded static tree: %v", err))
		}
		for _, e := range entries {
			b, err := fs.ReadFile(fsys, e.Name())
			if err != nil {
				panic(fmt.Sprintf("asset: read embedded %s: %v", e.Name(), err))
			}
			sum := sha256.Sum256(b)
			out[e.Name()] = hex.EncodeToString(sum[:5])
		}
		return out
	})
	return func(name string) (string, error) {
		v, ok := versions()[name]
		if !ok {
			return "", fmt.Errorf("asset: no static file %q under %s", name, prefix)
		}
		return path.Join(prefix, name) + "?v=" + v, nil
	}
}
