package embedded

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestWithoutSchemaKeepsTheFields: dropping the "$s" schema leaves every
// field of the document as it was, with braces, brackets, quotes and escapes
// inside the schema's and the fields' strings.
func TestWithoutSchemaKeepsTheFields(t *testing.T) {
	for _, doc := range []string{
		`{"$s":{"p":{"a":{"t":"string"},"b\"}":{"t":"object","$s":{"p":{},"$k":[]}}},"$k":["a","b\"}"]},"a":"x{[\"","b\"}":{}}`,
		`{"$s":{"p":{},"$k":[]}}`,
		`{"a":1}`,
	} {
		var want, got map[string]any
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatal(err)
		}
		delete(want, "$s")
		out := withoutSchema([]byte(doc), nil)
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s → %s: %v", doc, out, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s → %s: got %v, want %v", doc, out, got, want)
		}
	}
}
