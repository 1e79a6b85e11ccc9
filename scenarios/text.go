package scenarios

import (
	"strings"
	"unicode"
)

// unfoldCJK undoes what YAML folding (`>-`) does to Chinese: a line break
// between two lines becomes a space, but Chinese puts no space between
// words, so "一次请求，\n所以" must read "一次请求，所以". Spaces between two
// CJK characters (or CJK punctuation) are removed; all others stay.
func unfoldCJK(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && i > 0 && i+1 < len(rs) && cjk(rs[i-1]) && cjk(rs[i+1]) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cjk reports whether r is a Chinese, Japanese or Korean character, or CJK
// or fullwidth punctuation.
func cjk(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}
