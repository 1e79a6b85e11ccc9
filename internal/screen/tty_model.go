package screen

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// model is the live screen's state. Program's loop feeds it what happens
// (keys, sizes, snapshots, the end) and writes what redraw makes of its
// view; it does no I/O, so tests drive it without a terminal.
type model struct {
	show          Show
	styles        Styles
	snap          Snapshot
	width, height int
	final         bool
	stop          func()
}

// keys handles one read from the terminal: q, Esc or Ctrl-C ask the demo to
// stop. The screen keeps drawing until the demo ends it, so the final frame
// shows where the drill got to.
func (m *model) keys(b []byte) {
	if !m.final && hasStopKey(b) {
		m.stop()
	}
}

func (m *model) resize(width, height int) { m.width, m.height = width, height }

// update takes a new snapshot; after the end the final one stays.
func (m *model) update(s Snapshot) {
	if !m.final {
		m.snap = s
	}
}

// end takes the last snapshot and turns the frame into the final one.
func (m *model) end(s Snapshot) { m.snap, m.final = s, true }

// view is the whole frame, each line ending in "\n".
func (m *model) view() string {
	return Frame(m.show, m.snap, View{Width: m.width, Height: m.height, Styles: m.styles, Final: m.final}) + "\n"
}

const (
	keyCtrlC = 0x03
	keyEsc   = 0x1b
)

// hasStopKey reports whether one read from a raw terminal holds q, Esc or
// Ctrl-C. Keys such as arrows arrive as escape sequences (ESC [ A) in one
// read, so an ESC is the Esc key only when it ends the read or another ESC
// follows; otherwise the whole sequence is skipped, so that neither its ESC
// nor its letters count (Alt-q is ESC q, F2 is ESC O Q).
func hasStopKey(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case 'q', keyCtrlC:
			return true
		case keyEsc:
			if i+1 == len(b) || b[i+1] == keyEsc {
				return true
			}
			i = escapeEnd(b, i)
		}
	}
	return false
}

// escapeEnd is the index of the last byte of the escape sequence at b[i],
// an ESC with at least one byte after it.
func escapeEnd(b []byte, i int) int {
	switch b[i+1] {
	case '[': // CSI: parameters, then a final byte in @ to ~
		for j := i + 2; j < len(b); j++ {
			if b[j] >= 0x40 && b[j] <= 0x7e {
				return j
			}
		}
		return len(b) - 1
	case 'O': // SS3: one byte more
		return min(i+2, len(b)-1)
	}
	return i + 1 // Alt with a key
}

// Terminal controls the screen is drawn with.
const (
	hideCursor     = "\x1b[?25l"
	showCursor     = "\x1b[?25h"
	eraseLineRight = "\x1b[K"
	eraseBelow     = "\x1b[J"
)

// redraw returns the bytes that replace the frame on the screen, prevLines
// tall, with view on a terminal width cells wide (0: unknown), and the new
// frame's height. The cursor starts and ends at the start of the line below
// the frame, so the last frame stays in the scrollback. Each line is erased
// after its text, rather than before, so that a redraw does not flicker, and
// what the previous frame had below the new one is erased. Lines end in
// "\r\n": the terminal is in raw mode and does not add the "\r" itself.
func redraw(view string, prevLines, width int) ([]byte, int) {
	var b strings.Builder
	b.WriteString("\r")
	if prevLines > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", prevLines)
	}
	lines := strings.Split(strings.TrimSuffix(view, "\n"), "\n")
	for _, l := range lines {
		b.WriteString(l)
		// A line as wide as the terminal leaves the cursor on its last cell,
		// which erasing would blank; there is nothing right of it anyway.
		if width <= 0 || ansi.StringWidth(l) < width {
			b.WriteString(eraseLineRight)
		}
		b.WriteString("\r\n")
	}
	b.WriteString(eraseBelow)
	return []byte(b.String()), len(lines)
}
