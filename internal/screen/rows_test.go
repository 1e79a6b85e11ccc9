package screen

import (
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/timeline"
)

// predicted is one predicted entry with a window, in seconds.
func predicted(k timeline.Kind, inst, lo, at, hi int) timeline.Entry {
	return timeline.Entry{Kind: k, Instance: inst, At: sec(at), Earliest: sec(lo), Latest: sec(hi), Container: ctr, Why: "why"}
}

// observed is one observed entry at s seconds.
func observed(k timeline.Kind, inst, s int) timeline.Entry {
	return timeline.Entry{Kind: k, Instance: inst, At: sec(s), Earliest: sec(s), Latest: sec(s), Container: ctr, Pod: pod}
}

func TestRows(t *testing.T) {
	kill := predicted(timeline.Killing, 0, 16, 16, 19)
	exit := predicted(timeline.Terminated, 0, 16, 16, 19)
	exit.ExitCode, exit.Reason = timeline.Int32(143), "Error"
	exit137 := observed(timeline.Terminated, 0, 17)
	exit137.ExitCode, exit137.Reason = timeline.Int32(137), "Error"
	optionalFailure := predicted(timeline.ProbeFailed, 0, 10, 10, 11)
	optionalFailure.Message, optionalFailure.Optional = "Startup probe failed: connection refused", true
	cases := []struct {
		name      string
		predicted timeline.Entry
		observed  []timeline.Entry
		elapsed   int
		want      State
		off       time.Duration
	}{
		{"not due yet", kill, nil, 10, Waiting, 0},
		{"window open, not seen", kill, nil, 18, Due, 0},
		{"window just closed: the watch may still deliver it", kill, nil, 22, Due, 0},
		{"window long closed", kill, nil, 24, Overdue, 0},
		{"seen inside the window", kill, []timeline.Entry{observed(timeline.Killing, 0, 17)}, 30, Seen, 0},
		{"seen within the API's one-second resolution", kill, []timeline.Entry{observed(timeline.Killing, 0, 20)}, 30, Seen, 0},
		{"seen late", kill, []timeline.Entry{observed(timeline.Killing, 0, 23)}, 30, Late, 4 * time.Second},
		{"seen early", kill, []timeline.Entry{observed(timeline.Killing, 0, 12)}, 30, Early, -4 * time.Second},
		{"another instance does not count", kill, []timeline.Entry{observed(timeline.Killing, 1, 17)}, 18, Due, 0},
		{"in time with another exit code", exit, []timeline.Entry{exit137}, 30, Different, 0},
		{"an optional failure that did not come", optionalFailure, nil, 30, Skipped, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var obs timeline.Timeline
			for _, e := range c.observed {
				obs.Add(e)
			}
			rows := Rows(timeline.Timeline{Entries: []timeline.Entry{c.predicted}}, obs, sec(c.elapsed))
			if rows[0].State != c.want || rows[0].Off != c.off {
				t.Errorf("state %v off %v, want %v off %v", rows[0].State, rows[0].Off, c.want, c.off)
			}
			if c.want == Skipped && !rows[0].OK() {
				t.Error("an optional entry that did not come is no mismatch")
			}
		})
	}
}

func TestRowsFlagAnUnpredictedRestart(t *testing.T) {
	obs := timeline.Timeline{}
	obs.Add(observed(timeline.Started, 0, 1))
	obs.Add(observed(timeline.Started, 1, 20))
	rows := Rows(timeline.Timeline{Entries: []timeline.Entry{predicted(timeline.Started, 0, 0, 1, 3)}}, obs, sec(30))
	if len(rows) != 2 || rows[0].State != Seen || rows[1].State != Extra || rows[1].Predicted != nil {
		t.Fatalf("rows %+v: want the first start seen and restart 1 flagged as not predicted", rows)
	}
	if got := note(rows[1], wordsFor("en")); got != "not predicted !" {
		t.Errorf("note %q", got)
	}
}

// TestPrinterPrintsEachChangeOnce feeds the same and growing snapshots and
// expects one line per observed entry, whatever the order of calls.
func TestPrinterPrintsEachChangeOnce(t *testing.T) {
	p := NewPrinter(fixtureShow(t, "en"))
	lines := 0
	for _, s := range []int{20, 20, 10, 40, 72, 72} {
		for _, l := range p.Lines(fixtureSnapshot(s)) {
			if l[0] == '+' {
				lines++
			}
		}
	}
	if want := len(fixtureObserved().Entries); lines != want {
		t.Errorf("printed %d entry lines, want one per observed entry (%d)", lines, want)
	}
}

func TestRowWindowKeepsTheNextRowsInView(t *testing.T) {
	rows := make([]Row, 30)
	for i := range rows {
		rows[i].State = Seen
		if i >= 20 {
			rows[i].State = Waiting
		}
	}
	lo, hi := rowWindow(rows, 12)
	if hi-lo != 10 || lo > 20 || hi <= 20 {
		t.Errorf("window [%d,%d): want 10 rows (2 lines for the markers) around row 20", lo, hi)
	}
	if lo, hi := rowWindow(rows, 0); lo != 0 || hi != 30 {
		t.Errorf("no height limit: window [%d,%d)", lo, hi)
	}
}
