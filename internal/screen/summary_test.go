package screen

import (
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
)

// A pause of the machine is told in the demo's language.
func TestTimelineSummaryTellsPauses(t *testing.T) {
	snap := Snapshot{Observed: timeline.Timeline{Pauses: []timeline.Pause{{At: 70 * time.Second, For: 17240 * time.Millisecond}}}}
	for lang, want := range map[predict.Lang][]string{
		predict.English: {"The machine was paused 17.2s at +1m10s", "as the kubelet's timers did"},
		predict.Chinese: {"机器暂停了 17.2s，从 +1m10s 开始", "和 kubelet 的计时器一样"},
	} {
		got := pauses(Show{Lang: lang}, snap, TextWidth)
		flat := strings.NewReplacer("\n", "", " ", "") // wrapping breaks lines at spaces, or anywhere in Chinese
		for _, w := range want {
			if !strings.Contains(flat.Replace(got), flat.Replace(w)) {
				t.Errorf("%s: %q lacks %q", lang, got, w)
			}
		}
	}
}

// A live demo judges its rows against the prediction conditioned on what
// it saw; the summary also says how the observed entries fared against
// the windows predicted before the pod existed, naming any outside.
func TestTimelineSummaryTellsTheUpFrontWindows(t *testing.T) {
	sec := func(n int) time.Duration { return time.Duration(n) * time.Second }
	entry := func(kind timeline.Kind, at, lo, hi int) timeline.Entry {
		return timeline.Entry{Kind: kind, At: sec(at), Earliest: sec(lo), Latest: sec(hi)}
	}
	upFront := timeline.Timeline{Entries: []timeline.Entry{entry(timeline.Started, 1, 0, 2), entry(timeline.Killing, 16, 16, 20)}}
	conditioned := timeline.Timeline{Entries: []timeline.Entry{entry(timeline.Started, 1, 1, 1), entry(timeline.Killing, 24, 24, 26)}}
	observed := timeline.Timeline{Entries: []timeline.Entry{entry(timeline.Started, 1, 1, 1), entry(timeline.Killing, 25, 25, 25)}}
	show := Show{Predicted: upFront, Lang: predict.English}
	snap := Snapshot{Elapsed: sec(40), Observed: observed, Expected: &conditioned}
	if got := timelineSummary(show, show.rows(snap), "ok %d of %d", "bad %d of %d", TextWidth); got != "ok 2 of 2\n" {
		t.Errorf("conditioned: %q, want both seen", got)
	}
	upFrontSnap := snap
	upFrontSnap.Expected = nil
	w := show.words()
	lines := timelineSummary(show, watched(show.rows(upFrontSnap)), w.upFrontOK, w.upFrontBad, TextWidth)
	if !strings.HasPrefix(lines, "Up front: 1 of 2 outside the windows predicted before the pod existed\n") || !strings.Contains(lines, "Killing #0") {
		t.Errorf("up front: %q, want Killing #0 named outside", lines)
	}
	// An up-front entry whose window was still open when the demo ended
	// counts neither way.
	restart := entry(timeline.Started, 50, 45, 70)
	restart.Instance = 1
	upFront.Entries = append(upFront.Entries, restart)
	show.Predicted = upFront
	rows := show.rows(Snapshot{Elapsed: sec(40), Observed: observed})
	if n, w := len(watched(rows)), len(rows); n != w-1 {
		t.Errorf("watched %d of %d rows, want all but the open one", n, w)
	}
}
