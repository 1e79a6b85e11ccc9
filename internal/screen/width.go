package screen

import (
	"io"
	"os"

	"golang.org/x/term"
)

// Width is how many columns text written to w should fill: the terminal's
// width, or TextWidth when w is not a terminal (a file, a pipe, a test).
func Width(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return TextWidth
}
