// Package fonts embeds the fonts the printed sheets use, so that Chinese text
// renders the same on every machine without a system font.
package fonts

import (
	_ "embed"

	"codeberg.org/go-fonts/liberation/liberationsansregular"
)

// CJK is Droid Sans Fallback Full (Apache-2.0, see README.md): the CJK
// ideographs and full-width punctuation. It has no Latin letters or digits.
//
//go:embed DroidSansFallbackFull.ttf
var CJK []byte

// Latin is Liberation Sans Regular (SIL OFL 1.1, see README.md): Latin
// letters, digits and punctuation, for the runs of text CJK lacks.
var Latin = liberationsansregular.TTF

// Family names the PDF sheets register the fonts under.
const (
	CJKName   = "DroidSansFallback"
	LatinName = "LiberationSans"
)

// IsLatin reports whether r is set in Latin rather than CJK: ASCII, Latin-1,
// the other alphabetic scripts Liberation Sans covers, and general punctuation
// (dashes, quotes, bullets); everything from U+2E80 on, including CJK
// punctuation and full-width forms, is set in CJK.
func IsLatin(r rune) bool {
	return r < 0x2000 || (r >= 0x2010 && r <= 0x2027) || r == 0x20AC
}
