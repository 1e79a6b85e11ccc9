package screen

import (
	"io"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// Program is the live screen on a terminal: a bubbletea program that redraws
// Frame whenever a snapshot arrives or the terminal is resized. It draws
// inline, not on the alternate screen, so the final frame stays in the
// scrollback above the summary.
type Program struct{ p *tea.Program }

type (
	snapshotMsg Snapshot
	endMsg      Snapshot
)

// NewProgram returns the screen for show on out, reading keys from in. stop
// is called when the user presses q, Esc or Ctrl-C (the terminal is in raw
// mode, so Ctrl-C is a key, not a signal); the caller then ends the drill
// and calls End.
func NewProgram(show Show, in io.Reader, out io.Writer, stop func()) *Program {
	m := model{show: show, styles: NewStyles(lipgloss.NewRenderer(out)), stop: stop}
	// Signals are left to the command's context (app.Main), which cleans up.
	return &Program{tea.NewProgram(m, tea.WithInput(in), tea.WithOutput(out), tea.WithoutSignalHandler())}
}

// Run draws until End; it returns early only if the terminal fails.
func (p *Program) Run() error {
	_, err := p.p.Run()
	return err
}

// Update shows a new snapshot.
func (p *Program) Update(s Snapshot) { p.p.Send(snapshotMsg(s)) }

// End draws the final frame and ends Run.
func (p *Program) End(s Snapshot) { p.p.Send(endMsg(s)) }

type model struct {
	show          Show
	styles        Styles
	snap          Snapshot
	width, height int
	final         bool
	stop          func()
}

func (m model) Init() tea.Cmd { return nil }

func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tea.KeyMsg:
		switch msg.String() {
		case "q", "esc", "ctrl+c":
			m.stop()
		}
	case snapshotMsg:
		m.snap = Snapshot(msg)
	case endMsg:
		m.snap, m.final = Snapshot(msg), true
		return m, tea.Quit
	}
	return m, nil
}

func (m model) View() string {
	return Frame(m.show, m.snap, View{Width: m.width, Height: m.height, Styles: m.styles, Final: m.final}) + "\n"
}
