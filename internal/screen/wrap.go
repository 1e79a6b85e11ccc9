package screen

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"
)

// wrap fills lines of at most width cells (width ≤ 0: no wrapping).
// English breaks at spaces; Chinese, which has none, breaks between any two
// characters, except before closing punctuation (，。：）…), which stays
// with the character before it, as Chinese typesetting wants.
func wrap(s string, width int) string {
	if width <= 0 {
		return s
	}
	var out []string
	for _, para := range strings.Split(s, "\n") {
		out = append(out, fill(units(para), width)...)
	}
	return strings.Join(out, "\n")
}

// unit is a piece that is never broken: a word, or a Chinese character with
// the closing punctuation after it. space says a space came before it.
type unit struct {
	text  string
	space bool
}

func units(s string) []unit {
	var us []unit
	space := false
	for _, r := range s {
		switch {
		case r == ' ':
			space = true
			continue
		case closing(r) && len(us) > 0 && !space:
			us[len(us)-1].text += string(r)
		case wide(r) || len(us) == 0 || space || wide(lastRune(us[len(us)-1].text)):
			us = append(us, unit{text: string(r), space: space})
		default:
			us[len(us)-1].text += string(r)
		}
		space = false
	}
	return us
}

// fill lays units out greedily.
func fill(us []unit, width int) []string {
	var lines []string
	var line strings.Builder
	w := 0
	for _, u := range us {
		uw, sep := ansi.StringWidth(u.text), ""
		if u.space && w > 0 {
			sep = " "
		}
		if w > 0 && w+len(sep)+uw > width {
			lines = append(lines, line.String())
			line.Reset()
			w, sep = 0, ""
		}
		line.WriteString(sep + u.text)
		w += len(sep) + uw
	}
	return append(lines, line.String())
}

// wide reports whether r is a Chinese (or other CJK) character or
// fullwidth punctuation, after which a line may break.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// closing is punctuation a line must not start with.
func closing(r rune) bool {
	return strings.ContainsRune("，。、：；！？）」』】》…,.:;!?)", r)
}

func lastRune(s string) rune {
	r := []rune(s)
	return r[len(r)-1]
}
