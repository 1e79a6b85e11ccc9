package observe

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// This file reproduces the "Events:" block of `kubectl describe pod` from
// k8s.io/kubectl v0.37.2 pkg/describe/describe.go (DescribeEvents,
// tabbedString, prefixWriter) without importing kubectl, whose dependency tree
// is large. now replaces kubectl's time.Since so the output is testable.

// byLastTimestamp is kubectl's event.SortableEvents (pkg/util/event): it
// orders by lastTimestamp only, and kubectl sorts with the unstable sort.Sort.
type byLastTimestamp []corev1.Event

func (l byLastTimestamp) Len() int      { return len(l) }
func (l byLastTimestamp) Swap(i, j int) { l[i], l[j] = l[j], l[i] }
func (l byLastTimestamp) Less(i, j int) bool {
	return l[i].LastTimestamp.Time.Before(l[j].LastTimestamp.Time)
}

// SortLikeDescribe orders events as `kubectl describe` does. kubectl sorts the
// list in the order the API server returned it (by name), so ties in
// lastTimestamp come out the same way only if we start from that order too.
func SortLikeDescribe(events []corev1.Event) {
	slices.SortStableFunc(events, func(a, b corev1.Event) int { return strings.Compare(a.Name, b.Name) })
	sort.Sort(byLastTimestamp(events))
}

// FormatEvents renders events exactly as the "Events:" block of
// `kubectl describe pod` 1.37 prints them, as of now.
func FormatEvents(events []corev1.Event, now time.Time) string {
	evs := slices.Clone(events)
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 8, 2, ' ', 0)
	writeEvents(tw, evs, now)
	tw.Flush()
	return buf.String()
}

// writeEvents is DescribeEvents: "Events:" then one row per event object;
// an aggregated event shows "<last> (xN over <first>)"; the message is
// prefixed with the involved field path ("spec.containers{name}: ").
func writeEvents(w io.Writer, evs []corev1.Event, now time.Time) {
	if len(evs) == 0 {
		writeEscaped(w, "Events:\t<none>\n")
		return
	}
	SortLikeDescribe(evs)
	writeEscaped(w, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
	writeEscaped(w, "  ----\t------\t----\t----\t-------\n")
	for i := range evs {
		e := &evs[i]
		writeEscaped(w, fmt.Sprintf("  %v\t%v\t%s\t%v\t%v\n", e.Type, e.Reason, eventAge(e, now), eventSource(e), eventMessage(e)))
	}
}

func eventAge(e *corev1.Event, now time.Time) string {
	first := microSince(e.EventTime, now)
	if e.EventTime.IsZero() {
		first = since(e.FirstTimestamp, now)
	}
	switch {
	case e.Series != nil:
		return fmt.Sprintf("%s (x%d over %s)", microSince(e.Series.LastObservedTime, now), e.Series.Count, first)
	case e.Count > 1:
		return fmt.Sprintf("%s (x%d over %s)", since(e.LastTimestamp, now), e.Count, first)
	}
	return first
}

func eventSource(e *corev1.Event) string {
	if e.Source.Component != "" {
		return e.Source.Component
	}
	return e.ReportingController
}

func eventMessage(e *corev1.Event) string {
	msg := strings.TrimSpace(e.Message)
	if e.InvolvedObject.FieldPath != "" {
		msg = fmt.Sprintf("%s: %s", e.InvolvedObject.FieldPath, msg)
	}
	return msg
}

func since(t metav1.Time, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

func microSince(t metav1.MicroTime, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t.Time))
}

// terminalEscaper is k8s.io/cli-runtime pkg/printers/terminal.go: kubectl
// escapes ESC and CR in everything describe prints (kubernetes issue 101695).
var terminalEscaper = strings.NewReplacer("\x1b", "^[", "\r", "\\r")

func writeEscaped(w io.Writer, s string) {
	_, _ = terminalEscaper.WriteString(w, s)
}
