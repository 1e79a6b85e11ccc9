package render

import (
	"strings"
	"unicode/utf8"
)

// wrap breaks text into lines of at most width columns, counting East Asian
// wide characters as two. Words break at spaces; Chinese, which has none,
// breaks between any two characters.
func wrap(text string, width int) []string {
	var lines []string
	var line strings.Builder
	col := 0
	flush := func() {
		lines = append(lines, strings.TrimRight(line.String(), " "))
		line.Reset()
		col = 0
	}
	for _, word := range splitWords(text) {
		w := columns(word)
		if col > 0 && col+w > width {
			flush()
			word = strings.TrimLeft(word, " ")
			w = columns(word)
		}
		line.WriteString(word)
		col += w
	}
	if line.Len() > 0 {
		flush()
	}
	return lines
}

// splitWords cuts text into pieces that may not be broken: a space plus a
// word of narrow characters, or a single wide character.
func splitWords(text string) []string {
	var words []string
	start := 0
	for i, r := range text {
		switch {
		case r == ' ' || r == '\n':
			if i > start {
				words = append(words, text[start:i])
			}
			start = i
		case wide(r):
			if i > start {
				words = append(words, text[start:i])
			}
			words = append(words, text[i:i+utf8.RuneLen(r)])
			start = i + utf8.RuneLen(r)
		}
	}
	if start < len(text) {
		words = append(words, text[start:])
	}
	for i, w := range words {
		words[i] = strings.ReplaceAll(w, "\n", " ")
	}
	return words
}

func columns(s string) int {
	n := 0
	for _, r := range s {
		n++
		if wide(r) {
			n++
		}
	}
	return n
}

// wide reports whether r takes two columns: CJK, fullwidth forms.
func wide(r rune) bool {
	return r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) ||
		(r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) ||
		(r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6))
}
