// Package report implements `probedrill report RUN.json`: the web page of a
// run, one file that opens offline.
package report

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/report"
)

type flagpole struct {
	Output string
}

// NewCommand returns the report command.
func NewCommand(logger log.Logger, _ cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  oneFile,
		Use:   "report RUN.json",
		Short: "Render a run as a web page with a timeline per scenario",
		Long: "report turns the run.json that `probedrill run` wrote into one HTML file: per\n" +
			"scenario, a timeline of the predicted windows and the observed events, the\n" +
			"expectations met or not, and the comparison line by line. The page has no\n" +
			"external files: it opens offline, from a USB stick or a CI artifact.",
		Example: "  probedrill report _out/run-20260504-100000/run.json\n" +
			"  probedrill report run.json -o lesson.html",
		RunE: func(_ *cobra.Command, args []string) error { return runE(logger, flags, args[0]) },
	}
	c.Flags().StringVarP(&flags.Output, "output", "o", "", "the HTML file to write (default report.html next to RUN.json)")
	return c
}

// oneFile requires exactly one argument, the run record.
func oneFile(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return cli.Usage(fmt.Errorf("%s takes one run.json file (written by `probedrill run`), got %d arguments", c.CommandPath(), len(args)))
	}
	return nil
}

func runE(logger log.Logger, flags *flagpole, in string) error {
	run, err := report.ReadFile(in)
	if errors.Is(err, fs.ErrNotExist) {
		return cli.Usage(fmt.Errorf("%s does not exist; `probedrill run` writes run.json in the directory it names at the end", in))
	}
	if err != nil {
		// A file that is not a run record is bad input, not a failure.
		return cli.Usage(err)
	}
	out := flags.Output
	if out == "" {
		out = filepath.Join(filepath.Dir(in), "report.html")
	}
	if err := report.WriteFile(out, *run, report.WriteHTML); err != nil {
		return err
	}
	logger.V(0).Infof("Wrote %s: open it in a browser (it needs no network).", out)
	return nil
}
