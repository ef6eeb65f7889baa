// Package fonts embeds the CJK font the printed sheets use, so that Chinese
// text renders the same on every machine without a system font.
package fonts

import _ "embed"

// CJK is Droid Sans Fallback Full (Apache-2.0, see README.md): a TrueType font
// with the CJK Unified Ideographs and Latin letters and digits.
//
//go:embed DroidSansFallbackFull.ttf
var CJK []byte

// CJKName is the family name the PDF sheets register CJK under.
const CJKName = "DroidSansFallback"
