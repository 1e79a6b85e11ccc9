package screen

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles colour the live screen. Colours are ANSI's basic ones, which every
// projector and terminal theme keeps readable.
type Styles struct {
	Title, Faint, Strong, OK, Warn, Bad, Due lipgloss.Style
}

// NewStyles returns styles for a terminal that r renders to.
func NewStyles(r *lipgloss.Renderer) Styles {
	s := func() lipgloss.Style { return r.NewStyle() }
	return Styles{
		Title:  s().Bold(true).Reverse(true).Padding(0, 1),
		Faint:  s().Faint(true),
		Strong: s().Bold(true),
		OK:     s().Foreground(lipgloss.Color("2")),
		Warn:   s().Foreground(lipgloss.Color("3")).Bold(true),
		Bad:    s().Foreground(lipgloss.Color("1")).Bold(true),
		Due:    s().Foreground(lipgloss.Color("6")).Bold(true),
	}
}

// NoStyles renders every style as plain text (tests, golden files).
func NoStyles() Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.Ascii)
	return NewStyles(r)
}

// forRow is the style of a row's mark and status.
func (st Styles) forRow(r Row, final bool) lipgloss.Style {
	switch r.State {
	case Seen:
		return st.OK
	case Early, Late, Extra:
		return st.Warn
	case Different:
		return st.Bad
	case Due:
		return st.Due
	case Overdue:
		if final {
			return st.Bad
		}
		return st.Warn
	}
	return st.Faint
}
