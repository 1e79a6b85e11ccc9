package screen

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/probedrill/probedrill/internal/observe"
	"github.com/probedrill/probedrill/internal/timeline"
)

// View is the terminal the live screen is drawn on.
type View struct {
	Width, Height int // 0: unknown, no limit
	Styles        Styles
	// Final draws the screen as the demo ended.
	Final bool
}

// minTimelineRows is the fewest timeline rows drawn however small the
// terminal: the timeline is the point of the demo.
const minTimelineRows = 5

// Frame draws the live demo screen: a title bar with the clock, the pod as
// `kubectl get pod` shows it (the RESTARTS counter), the predicted vs
// observed timeline, what just happened and why, and the Events block of
// `kubectl describe pod`. Sections other than the timeline keep their
// size; the timeline gets what is left of the height.
func Frame(show Show, snap Snapshot, v View) string {
	top := append(titleBar(show, snap, v), "")
	top = append(top, podTable(show, snap, v)...)
	bottom := append([]string{""}, justNow(show, snap, v)...)
	bottom = append(bottom, "")
	bottom = append(bottom, eventsBlock(show, snap, v)...)
	if !v.Final {
		bottom = append(bottom, "", v.Styles.Faint.Render(fmt.Sprintf(show.words().stopKeys, show.Namespace)))
	}
	avail := 0
	if v.Height > 0 {
		avail = max(v.Height-len(top)-len(bottom)-2, minTimelineRows)
	}
	lines := append(top, "")
	lines = append(lines, timelineLines(show, snap, v, avail)...)
	lines = append(lines, bottom...)
	return fit(lines, v.Width)
}

// fit truncates each line to width cells.
func fit(lines []string, width int) string {
	if width > 0 {
		for i, l := range lines {
			lines[i] = ansi.Truncate(l, width, "…")
		}
	}
	return strings.Join(lines, "\n")
}

func titleBar(show Show, snap Snapshot, v View) []string {
	w := show.words()
	clock := fmt.Sprintf("%s / %s", timeline.Offset(snap.Elapsed), timeline.Offset(show.Until))
	if v.Final {
		clock = fmt.Sprintf(w.finished, timeline.Offset(snap.Elapsed))
	}
	left := v.Styles.Title.Render("probedrill demo · " + show.Scenario.Name)
	pad := max(v.Width-ansi.StringWidth(left)-ansi.StringWidth(clock), 2)
	if v.Width == 0 {
		pad = 2
	}
	return []string{left + strings.Repeat(" ", pad) + v.Styles.Strong.Render(clock), show.Scenario.Title}
}

// podTable is `kubectl get pod`, with the RESTARTS cell stressed.
func podTable(show Show, snap Snapshot, v View) []string {
	if snap.Pod == nil {
		pod := show.Scenario.Pod
		return []string{v.Styles.Faint.Render(fmt.Sprintf(show.words().podIn, pod.Name, pod.ContainerName, show.Namespace)), ""}
	}
	row := getPod(snap.Pod, snap.Now)
	lines := strings.Split(strings.TrimRight(table([][]string{getPodHeader(), row}, 3), "\n"), "\n")
	// Stress the counter in place: the cell is the 4th; its text is unique
	// enough on the row after the status cell.
	cut := strings.LastIndex(lines[1], row[3])
	lines[1] = lines[1][:cut] + v.Styles.Strong.Render(row[3]) + lines[1][cut+len(row[3]):]
	return []string{v.Styles.Faint.Render(lines[0]), lines[1]}
}

// justNow is the newest observed entry and the prediction's why for it,
// wrapped: the sentence the teacher reads out.
func justNow(show Show, snap Snapshot, v View) []string {
	w := show.words()
	rows := show.rows(snap)
	var last *Row
	for i := range rows {
		if rows[i].Observed != nil && (last == nil || rows[i].Observed.At >= last.Observed.At) {
			last = &rows[i]
		}
	}
	if last == nil {
		return []string{v.Styles.Faint.Render(w.justNow + "—")}
	}
	e := *last.Observed
	head := fmt.Sprintf("%s%s  %s  %s", w.justNow, timeline.Offset(e.At), v.Styles.Strong.Render(label(e)), observedWhat(e, w))
	out := []string{head}
	if last.Predicted != nil && last.Predicted.Why != "" {
		out = append(out, strings.Split(indent(wrap(last.Predicted.Why, wrapWidth(v)-2), "  "), "\n")...)
	}
	return out
}

func wrapWidth(v View) int {
	if v.Width <= 0 {
		return TextWidth
	}
	return v.Width
}

// eventsBlock is the Events block of `kubectl describe pod`, byte for byte,
// under the command that shows it.
func eventsBlock(show Show, snap Snapshot, v View) []string {
	cmd := fmt.Sprintf("$ kubectl -n %s describe pod %s", show.Namespace, show.podName(snap))
	block := strings.TrimRight(observe.FormatEvents(snap.Events, snap.Now), "\n")
	return append([]string{v.Styles.Faint.Render(cmd)}, strings.Split(block, "\n")...)
}
