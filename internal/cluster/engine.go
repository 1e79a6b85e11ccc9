package cluster

import (
	"errors"
	"fmt"
	"strings"

	"sigs.k8s.io/kind/pkg/exec"
)

// ErrEngineNotRunning means docker cannot reach a Docker engine.
var ErrEngineNotRunning = errors.New("the Docker engine is not running; run `make deps` (or `make up`, which starts it)")

// docker runs the docker CLI through kind's exec package, the only command
// this package runs (kind's docker provider does the same).
type docker func(args ...string) exec.Cmd

func dockerCLI(args ...string) exec.Cmd { return exec.Command("docker", args...) }

// checkEngine asks the Docker engine for its version.
func (d docker) checkEngine() error {
	lines, err := exec.CombinedOutputLines(d("version", "--format", "{{.Server.Version}}"))
	if err == nil && len(lines) == 1 && lines[0] != "" {
		return nil
	}
	out := strings.Join(lines, "\n")
	if strings.Contains(out, "Cannot connect to the Docker daemon") || strings.Contains(out, "Is the docker daemon running") {
		return ErrEngineNotRunning
	}
	if err != nil && strings.Contains(err.Error(), "executable file not found") {
		return fmt.Errorf("docker is not installed: %w", ErrEngineNotRunning)
	}
	return fmt.Errorf("%w (docker version: %s)", ErrEngineNotRunning, strings.TrimSpace(out))
}

// errorText is err's message plus, for a failed command, its output, where
// docker puts the reason.
func errorText(err error) string {
	var run *exec.RunError
	if errors.As(err, &run) {
		return err.Error() + "\n" + string(run.Output)
	}
	return err.Error()
}
