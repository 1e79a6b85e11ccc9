package demo

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/mattn/go-isatty"
	"sigs.k8s.io/kind/pkg/cmd"

	"github.com/probedrill/probedrill/internal/screen"
)

// plainOutput reports whether the demo prints plain lines: asked for, in
// CI, or when stdout is not a terminal that can redraw.
func plainOutput(flags *flagpole, out io.Writer) bool {
	if flags.Plain || os.Getenv("CI") != "" || os.Getenv("TERM") == "dumb" {
		return true
	}
	f, ok := out.(*os.File)
	return !ok || !isatty.IsTerminal(f.Fd())
}

// showPlain prints the intro, then the lines of each change as it comes.
func showPlain(ctx context.Context, out io.Writer, show screen.Show, w watch) outcome {
	p := screen.NewPrinter(show)
	fmt.Fprint(out, p.Start())
	return w.follow(ctx, func(s screen.Snapshot) {
		for _, l := range p.Lines(s) {
			fmt.Fprintln(out, l)
		}
	})
}

// showTTY runs the live screen while the drill is followed; q, Esc or
// Ctrl-C on the screen end the watch early.
func showTTY(ctx context.Context, streams cmd.IOStreams, show screen.Show, w watch) (outcome, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	prog := screen.NewProgram(show, streams.In, streams.Out, stop)
	done := make(chan outcome, 1)
	go func() {
		out := w.follow(ctx, prog.Update)
		prog.End(out.snap)
		done <- out
	}()
	err := prog.Run()
	stop() // a screen that failed must not leave the drill running
	return <-done, err
}
