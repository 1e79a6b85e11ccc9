package screen

import (
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
	"github.com/probedrill/probedrill/internal/timeline"
)

// A pause of the machine is told after the timeline's count, in the
// demo's language.
func TestTimelineSummaryTellsPauses(t *testing.T) {
	snap := Snapshot{Observed: timeline.Timeline{Pauses: []timeline.Pause{{At: 70 * time.Second, For: 17240 * time.Millisecond}}}}
	for lang, want := range map[predict.Lang][]string{
		predict.English: {"The machine was paused 17.2s at +1m10s", "as the kubelet's timers did"},
		predict.Chinese: {"机器暂停了 17.2s，从 +1m10s 开始", "和 kubelet 的计时器一样"},
	} {
		got := timelineSummary(Show{Lang: lang}, snap, TextWidth)
		flat := strings.NewReplacer("\n", "", " ", "") // wrapping breaks lines at spaces, or anywhere in Chinese
		for _, w := range want {
			if !strings.Contains(flat.Replace(got), flat.Replace(w)) {
				t.Errorf("%s: %q lacks %q", lang, got, w)
			}
		}
	}
}
