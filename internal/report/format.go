package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// Output formats of a run, as `-o` names them in `probedrill run` and
// `probedrill report` (kubectl's convention: -o is a format, never a path).
const (
	FormatText  = "text"  // the summary table a projector can show
	FormatJSON  = "json"  // the run record, as run.json holds it
	FormatJUnit = "junit" // JUnit XML, for a CI's test tab
	FormatHTML  = "html"  // the offline web page with a timeline per scenario
)

// Renderer returns what writes the run in format, or an error that lists the
// formats allowed (one of formats). color applies to the text table only.
func Renderer(format string, formats []string, color bool) (func(io.Writer, Run) error, error) {
	if !slices.Contains(formats, format) {
		return nil, fmt.Errorf("-o %q: use %s", format, orList(formats))
	}
	switch format {
	case FormatText:
		return func(w io.Writer, r Run) error { return WriteSummary(w, r, color) }, nil
	case FormatJSON:
		return WriteJSON, nil
	case FormatJUnit:
		return WriteJUnit, nil
	case FormatHTML:
		return WriteHTML, nil
	}
	return nil, fmt.Errorf("internal: no renderer for -o %q", format)
}

// orList joins "a", "b", "c" as "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
