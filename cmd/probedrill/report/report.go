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
	Output     string
	OutputFile string
}

// formats are report's -o values: the page first, it is what report is for.
var formats = []string{report.FormatHTML, report.FormatText, report.FormatJSON, report.FormatJUnit}

// NewCommand returns the report command.
func NewCommand(logger log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  oneFile,
		Use:   "report RUN.json",
		Short: "Render a run as a web page with a timeline per scenario",
		Long: "report turns the run.json that `probedrill run` wrote into one HTML file: per\n" +
			"scenario, a timeline of the predicted windows and the observed events, the\n" +
			"expectations met or not, and the comparison line by line. The page has no\n" +
			"external files: it opens offline, from a USB stick or a CI artifact.\n" +
			"-o text, json or junit print the run again on stdout instead (the summary\n" +
			"table, the record, JUnit XML).",
		Example: "  probedrill report _out/run-20260504-100000/run.json\n" +
			"  probedrill report run.json --output-file lesson.html\n" +
			"  probedrill report run.json -o text",
		RunE: func(_ *cobra.Command, args []string) error { return runE(logger, streams, flags, args[0]) },
	}
	f := c.Flags()
	f.StringVarP(&flags.Output, "output", "o", report.FormatHTML, "output format: html (a web page), text (the summary table), json or junit")
	f.StringVar(&flags.OutputFile, "output-file", "", "the file to write (default: report.html next to RUN.json for html, else stdout)")
	return c
}

// oneFile requires exactly one argument, the run record.
func oneFile(c *cobra.Command, args []string) error {
	if len(args) != 1 {
		return cli.Usage(fmt.Errorf("%s takes one run.json file (written by `probedrill run`), got %d arguments", c.CommandPath(), len(args)))
	}
	return nil
}

func runE(logger log.Logger, streams cmd.IOStreams, flags *flagpole, in string) error {
	render, err := report.Renderer(flags.Output, formats, flags.OutputFile == "" && cli.IsSmartTerminal(streams.Out))
	if err != nil {
		return cli.Usage(fmt.Errorf("%w (the file to write is --output-file)", err))
	}
	run, err := report.ReadFile(in)
	if errors.Is(err, fs.ErrNotExist) {
		return cli.Usage(fmt.Errorf("%s does not exist; `probedrill run` writes run.json in the directory it names at the end", in))
	}
	if err != nil {
		// A file that is not a run record is bad input, not a failure.
		return cli.Usage(err)
	}
	out := flags.OutputFile
	switch {
	case out == "" && flags.Output != report.FormatHTML:
		return render(streams.Out, *run)
	case out == "":
		out = filepath.Join(filepath.Dir(in), "report.html")
	}
	if err := report.WriteFile(out, *run, render); err != nil {
		return err
	}
	if flags.Output == report.FormatHTML {
		logger.V(0).Infof("Wrote %s: open it in a browser (it needs no network).", out)
	} else {
		logger.V(0).Infof("Wrote %s.", out)
	}
	return nil
}
