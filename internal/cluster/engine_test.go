package cluster

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"sigs.k8s.io/kind/pkg/exec"
)

// fakeCmd is a docker command that prints out and fails with err.
type fakeCmd struct {
	out    string
	err    error
	stdout io.Writer
	stderr io.Writer
}

func (f *fakeCmd) Run() error {
	for _, w := range []io.Writer{f.stdout, f.stderr} {
		if w != nil {
			_, _ = io.WriteString(w, f.out)
			break
		}
	}
	if f.err != nil {
		return &exec.RunError{Command: []string{"docker"}, Output: []byte(f.out), Inner: f.err}
	}
	return nil
}
func (f *fakeCmd) SetEnv(...string) exec.Cmd      { return f }
func (f *fakeCmd) SetStdin(io.Reader) exec.Cmd    { return f }
func (f *fakeCmd) SetStdout(w io.Writer) exec.Cmd { f.stdout = w; return f }
func (f *fakeCmd) SetStderr(w io.Writer) exec.Cmd { f.stderr = w; return f }

// fakeDocker answers every command the same way and records the calls.
func fakeDocker(out string, err error, calls *[]string) docker {
	return func(args ...string) exec.Cmd {
		*calls = append(*calls, strings.Join(args, " "))
		return &fakeCmd{out: out, err: err}
	}
}

const daemonDown = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n"

func TestCheckEngine(t *testing.T) {
	var calls []string
	if err := fakeDocker("28.2.2\n", nil, &calls).checkEngine(); err != nil {
		t.Errorf("a running engine: %v", err)
	}
	err := fakeDocker(daemonDown, errors.New("exit status 1"), &calls).checkEngine()
	if !errors.Is(err, ErrEngineNotRunning) || err.Error() != ErrEngineNotRunning.Error() {
		t.Errorf("a dead engine: got %v", err)
	}
	err = fakeDocker("", errors.New(`exec: "docker": executable file not found in $PATH`), &calls).checkEngine()
	if !errors.Is(err, ErrEngineNotRunning) || !strings.Contains(err.Error(), "docker is not installed") {
		t.Errorf("no docker: got %v", err)
	}
}

func TestUpAndDownStopAtADeadEngine(t *testing.T) {
	var calls []string
	p := NewProvider()
	p.docker = fakeDocker(daemonDown, errors.New("exit status 1"), &calls)
	if _, err := p.Up(context.Background()); !errors.Is(err, ErrEngineNotRunning) {
		t.Errorf("Up: %v", err)
	}
	if err := p.Down(context.Background()); !errors.Is(err, ErrEngineNotRunning) {
		t.Errorf("Down: %v", err)
	}
	for _, c := range calls {
		if !strings.HasPrefix(c, "version") {
			t.Errorf("nothing but the engine check may run, ran docker %s", c)
		}
	}
}

func TestUpRefusesBadOptionsBeforeDocker(t *testing.T) {
	var calls []string
	p := NewProvider()
	p.docker = fakeDocker("", nil, &calls)
	if _, err := p.Up(context.Background(), WithProfile("huge")); err == nil {
		t.Error("want an error")
	}
	if len(calls) != 0 {
		t.Errorf("docker ran: %q", calls)
	}
}

func TestMissingImageNamesTheMakeTarget(t *testing.T) {
	var calls []string
	d := fakeDocker("Error: No such image: probedrill/faultyapp:v0.1.0\n", errors.New("exit status 1"), &calls)
	_, err := d.imageID(FaultyAppImage)
	if err == nil || !strings.Contains(err.Error(), "make image-faultyapp") {
		t.Errorf("got %v", err)
	}
}
