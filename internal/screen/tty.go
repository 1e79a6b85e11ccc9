package screen

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"golang.org/x/term"
)

// Program is the live screen on a terminal: it redraws Frame whenever a
// snapshot arrives or the terminal is resized. It draws inline, not on the
// alternate screen, so the final frame stays in the scrollback above the
// summary.
//
// It is our own small renderer rather than bubbletea: bubbletea v1 asks the
// terminal for its background colour in a package init and waits up to 5 s
// for an answer, at the start of every command, on terminals that do not
// answer.
type Program struct {
	m   model // owned by Run
	in  io.Reader
	out io.Writer

	mu      sync.Mutex
	pending *Snapshot // the newest snapshot not yet drawn
	ended   bool      // End was called: pending is the last snapshot
	wake    chan struct{}
}

// NewProgram returns the screen for show on out, reading keys from in. stop
// is called when the user presses q, Esc or Ctrl-C (the terminal is in raw
// mode, so Ctrl-C is a key, not a signal); the caller then ends the drill
// and calls End.
func NewProgram(show Show, in io.Reader, out io.Writer, stop func()) *Program {
	return &Program{
		m:    model{show: show, styles: NewStyles(lipgloss.NewRenderer(out)), stop: stop},
		in:   in,
		out:  out,
		wake: make(chan struct{}, 1),
	}
}

// Update shows a new snapshot. It never blocks: Run draws the newest
// snapshot when it gets to it, so a slow terminal cannot hold up the drill,
// and a screen that already failed cannot either.
func (p *Program) Update(s Snapshot) { p.post(s, false) }

// End draws the final frame and ends Run.
func (p *Program) End(s Snapshot) { p.post(s, true) }

func (p *Program) post(s Snapshot, end bool) {
	p.mu.Lock()
	if !p.ended { // the final frame is final
		p.pending, p.ended = &s, end
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default: // Run has a wake-up pending already; it will see this one too
	}
}

// apply hands the model what was posted since the last call, and reports
// whether there was anything.
func (p *Program) apply() bool {
	p.mu.Lock()
	s, end := p.pending, p.ended
	p.pending = nil
	p.mu.Unlock()
	switch {
	case s == nil:
		return false
	case end:
		p.m.end(*s)
	default:
		p.m.update(*s)
	}
	return true
}

// Run draws until End; it returns early only if the terminal fails.
func (p *Program) Run() (err error) {
	defer rawInput(p.in)() // raw now, restored on every way out
	resized, stopResized := notifyResize()
	defer stopResized()
	done := make(chan struct{})
	defer close(done)
	keys := readKeys(p.in, done)

	if err := p.write([]byte(hideCursor)); err != nil {
		return err
	}
	// Show the cursor again however Run ends: a hidden cursor outlives us.
	defer func() {
		if werr := p.write([]byte(showCursor)); err == nil {
			err = werr
		}
	}()

	p.m.resize(termSize(p.out))
	lines := 0 // the height of the frame on the screen, which a redraw goes back over
	for {
		if lines, err = p.draw(lines); err != nil || p.m.final {
			return err
		}
		keys = p.next(keys, resized)
	}
}

// next waits for something that changes the frame: a resize or a snapshot.
// Keys are handled on the way; they only ask the demo to stop. It returns
// keys, or nil once the input has ended.
func (p *Program) next(keys <-chan []byte, resized <-chan os.Signal) <-chan []byte {
	for {
		select {
		case <-resized:
			p.m.resize(termSize(p.out))
			return keys
		case <-p.wake:
			if p.apply() {
				return keys
			}
		case b, ok := <-keys:
			if !ok {
				keys = nil // input ended (not a terminal): no keys, keep drawing
				continue
			}
			p.m.keys(b)
		}
	}
}

// draw replaces the frame on the screen, prevLines tall, with the model's,
// and returns the new frame's height.
func (p *Program) draw(prevLines int) (int, error) {
	b, lines := redraw(p.m.view(), prevLines, p.m.width)
	return lines, p.write(b)
}

func (p *Program) write(b []byte) error {
	if _, err := p.out.Write(b); err != nil {
		return fmt.Errorf("screen: drawing on the terminal: %w", err)
	}
	return nil
}

// rawInput puts in in raw mode when it is a terminal, so that keys arrive as
// they are typed and Ctrl-C arrives as a key rather than as SIGINT. It
// returns what restores the terminal. If raw mode cannot be had the screen
// still draws: keys then wait for Enter, and Ctrl-C is the command's signal.
func rawInput(in io.Reader) (restore func()) {
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return func() {}
	}
	fd := int(f.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return func() {}
	}
	return func() { _ = term.Restore(fd, old) }
}

// readKeys sends what is read from in, one read at a time, until in ends or
// done is closed. A Read cannot be interrupted, so the goroutine may still
// be blocked in one after Run returns; by then Run has restored the
// terminal, and whatever that Read gets is dropped.
func readKeys(in io.Reader, done <-chan struct{}) <-chan []byte {
	if in == nil {
		return nil // a nil channel is never ready: no keys
	}
	keys := make(chan []byte)
	go func() {
		defer close(keys)
		buf := make([]byte, 256)
		for {
			n, err := in.Read(buf)
			if n > 0 {
				select {
				case keys <- bytes.Clone(buf[:n]):
				case <-done:
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	return keys
}

// termSize is the size of the terminal out draws on, or 0, 0 (no limit, to
// Frame) when out is not a terminal or does not say.
func termSize(out io.Writer) (width, height int) {
	f, ok := out.(*os.File)
	if !ok {
		return 0, 0
	}
	width, height, err := term.GetSize(int(f.Fd()))
	if err != nil {
		return 0, 0
	}
	return width, height
}
