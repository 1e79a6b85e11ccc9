package predict

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/probedrill/probedrill/internal/probecheck"
	"github.com/probedrill/probedrill/scenarios"
)

// scenario is the one scenario to predict and the file it came from (""
// for the catalog): NAME, a scenario file (-f), or a Pod or Deployment
// manifest (-f) whose probes faultyapp stands in behind with --fault, as
// `probedrill check --stand-in` drills them.
func scenario(c *cobra.Command, in io.Reader, flags *flagpole, args []string) (*scenarios.Scenario, string, error) {
	switch {
	case flags.Filename != "" && len(args) > 0:
		return nil, "", fmt.Errorf("%s takes a scenario NAME or -f FILE, not both", c.CommandPath())
	case flags.Filename == "" && len(args) == 0:
		return nil, "", fmt.Errorf("%s takes one scenario name or -f FILE; `probedrill list` shows the names", c.CommandPath())
	case flags.Filename == "":
		if c.Flags().Changed("fault") {
			return nil, "", errors.New("--fault goes with -f MANIFEST (a Pod or Deployment): a catalog scenario has its own fault")
		}
		s, err := scenarios.Get(args[0])
		if err != nil {
			return nil, "", fmt.Errorf("%w (`probedrill list` shows them all)", err)
		}
		return s, "", nil
	}
	data, err := readFile(flags.Filename, in)
	if err != nil {
		return nil, "", err
	}
	if isManifest(data) {
		s, err := standIn(flags.Filename, data, flags.Fault)
		return s, flags.Filename, err
	}
	if c.Flags().Changed("fault") {
		return nil, "", fmt.Errorf("%s: --fault goes with a Pod or Deployment manifest; a scenario file has its own app.fault", flags.Filename)
	}
	s, err := scenarios.Parse(flags.Filename, data)
	return s, flags.Filename, err
}

// readFile reads -f's file, or stdin for "-", no bigger than a scenario
// or a manifest needs.
func readFile(file string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return nil, fmt.Errorf("-f %s: %w", file, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, scenarios.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > scenarios.MaxFileSize {
		return nil, fmt.Errorf("%s: more than %d bytes; give one scenario or one workload's manifest", file, scenarios.MaxFileSize)
	}
	return data, nil
}

// isManifest tells a Kubernetes manifest (apiVersion and kind, as in every
// document kubectl applies) from a scenario file, which has neither.
func isManifest(data []byte) bool {
	first, _, _ := bytes.Cut(data, []byte("\n---"))
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	return yaml.Unmarshal(first, &head) == nil && head.APIVersion != "" && head.Kind != ""
}

// standIn is check --stand-in's scenario for fault: faultyapp behind the
// manifest's probes and settings.
func standIn(file string, data []byte, fault string) (*scenarios.Scenario, error) {
	name := file
	if file == probecheck.Stdin {
		name = probecheck.StdinName
	}
	input, err := probecheck.Parse(name, data, "")
	if err != nil {
		return nil, err
	}
	o := probecheck.DefaultOptions()
	o.Faults = []string{fault}
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("--fault %s: use %s", fault, strings.Join(probecheck.Faults(), ", "))
	}
	k, err := probecheck.Prepare(input, o)
	if err != nil {
		return nil, err
	}
	d := k.Drills[0]
	if d.Scenario == nil {
		return nil, fmt.Errorf("%s: fault %s does not apply to these probes: %s", file, fault, d.Skipped)
	}
	return d.Scenario, nil
}
