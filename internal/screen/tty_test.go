package screen

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestModelStopsOnKeysAndQuitsAtTheEnd: q, Esc and Ctrl-C ask the demo to
// stop (the screen keeps drawing until the demo ends it), and the end draws
// the final frame and quits.
func TestModelStopsOnKeysAndQuitsAtTheEnd(t *testing.T) {
	for _, key := range []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune("q")}, {Type: tea.KeyEsc}, {Type: tea.KeyCtrlC},
	} {
		stopped := false
		m := model{show: fixtureShow(t, "en"), styles: NoStyles(), stop: func() { stopped = true }}
		next, cmd := m.Update(key)
		if !stopped || cmd != nil {
			t.Errorf("%s: stopped %v, cmd %v; want stop called and the screen still running", key, stopped, cmd)
		}
		next, _ = next.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		final, cmd := next.Update(endMsg(fixtureSnapshot(72)))
		if cmd == nil {
			t.Fatalf("%s: the end must quit the program", key)
		}
		if _, quit := cmd().(tea.QuitMsg); !quit {
			t.Errorf("%s: the end's command is not tea.Quit", key)
		}
		if view := final.View(); !strings.Contains(view, "finished at +1m12s") || strings.Count(view, "\n") > 30 {
			t.Errorf("%s: the final frame must say it finished and fit the terminal:\n%s", key, view)
		}
	}
}
