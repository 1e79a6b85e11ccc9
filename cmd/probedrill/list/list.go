// Package list implements `probedrill list`: the scenario catalog.
package list

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"
	"sigs.k8s.io/kind/pkg/cmd"
	"sigs.k8s.io/kind/pkg/log"

	"github.com/probedrill/probedrill/internal/cli"
	"github.com/probedrill/probedrill/internal/screen"
	"github.com/probedrill/probedrill/scenarios"
)

type flagpole struct {
	Labels []string
	Lang   string
	Output string
}

// NewCommand returns the list command.
func NewCommand(_ log.Logger, streams cmd.IOStreams) *cobra.Command {
	flags := &flagpole{}
	c := &cobra.Command{
		Args:  cli.NoArgs,
		Use:   "list",
		Short: "List the scenarios of the catalog",
		Long: "list prints every scenario of the catalog on one line: its name (for\n" +
			"`probedrill predict NAME` and `probedrill demo NAME`), its title and its labels.",
		Example: "  probedrill list\n" +
			"  probedrill list --label seed --lang zh\n" +
			"  probedrill list -o wide",
		RunE: func(*cobra.Command, []string) error { return runE(streams, flags) },
	}
	f := c.Flags()
	f.StringSliceVarP(&flags.Labels, "label", "l", nil, "only scenarios with every one of these labels ("+strings.Join(scenarios.Labels(), ", ")+")")
	f.StringVar(&flags.Lang, "lang", "en", "language: en or zh (the seed chapter's)")
	f.StringVarP(&flags.Output, "output", "o", "", "output format: wide (adds the seed section), name, json or yaml (every field, defaults filled in)")
	return c
}

func runE(streams cmd.IOStreams, flags *flagpole) error {
	lang, err := screen.ParseLang(flags.Lang)
	if err != nil {
		return cli.Usage(err)
	}
	if !slices.Contains([]string{screen.FormatDefault, screen.FormatWide, screen.FormatName, cli.FormatJSON, cli.FormatYAML}, flags.Output) {
		return cli.Usage(fmt.Errorf("-o %q: use wide, name, json or yaml", flags.Output))
	}
	for _, l := range flags.Labels {
		if !slices.Contains(scenarios.Labels(), l) {
			return cli.Usage(fmt.Errorf("--label %q is not a label; use one of %s", l, strings.Join(scenarios.Labels(), ", ")))
		}
	}
	all, err := scenarios.All()
	if err != nil {
		return err
	}
	picked := withLabels(all, flags.Labels)
	if flags.Output == cli.FormatJSON || flags.Output == cli.FormatYAML {
		return writeScenarios(streams.Out, flags.Output, picked)
	}
	fmt.Fprint(streams.Out, screen.Catalog(picked, flags.Output, lang, terminalWidth(streams.Out)))
	return nil
}

// writeScenarios prints the scenarios in full, defaults filled in, as
// {"scenarios": [...]} (docs/predict.md, "The catalog for machines").
func writeScenarios(w io.Writer, format string, ss []*scenarios.Scenario) error {
	return cli.WriteData(w, format, struct {
		Scenarios []*scenarios.Scenario `json:"scenarios"`
	}{append([]*scenarios.Scenario{}, ss...)})
}

// terminalWidth is the terminal's width when out is one, else 0: a file
// or a pipe gets whole lines.
func terminalWidth(out io.Writer) int {
	if f, ok := out.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		return screen.Width(out)
	}
	return 0
}

// withLabels keeps the scenarios that carry every label.
func withLabels(all []*scenarios.Scenario, labels []string) []*scenarios.Scenario {
	var out []*scenarios.Scenario
	for _, s := range all {
		if !slices.ContainsFunc(labels, func(l string) bool { return !slices.Contains(s.Labels, l) }) {
			out = append(out, s)
		}
	}
	return out
}
