package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// waitLimit guards waits for the process; it is not a performance bound.
const waitLimit = 10 * time.Second

// binary is faultyapp, built once by TestMain: exit codes and signals are
// only real on a real process.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "faultyapp-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "faultyapp")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building faultyapp:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running faultyapp whose stdout (the log) is collected.
type proc struct {
	cmd   *exec.Cmd
	addr  string
	mu    sync.Mutex
	log   strings.Builder
	added chan struct{}
	done  chan struct{}
}

func run(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{added: make(chan struct{}, 1), done: make(chan struct{})}
	p.cmd = exec.Command(binary, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); <-p.done })
	go p.collect(out)
	line := p.waitFor(t, "listening on ")
	p.addr = strings.Fields(line[strings.Index(line, "listening on "):])[2]
	return p
}

func (p *proc) collect(out io.Reader) {
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		p.mu.Lock()
		p.log.WriteString(sc.Text() + "\n")
		p.mu.Unlock()
		select {
		case p.added <- struct{}{}:
		default:
		}
	}
	close(p.done)
}

// waitFor returns the first log line containing sub.
func (p *proc) waitFor(t *testing.T, sub string) string {
	t.Helper()
	deadline := time.After(waitLimit)
	for {
		p.mu.Lock()
		text := p.log.String()
		p.mu.Unlock()
		if i := strings.Index(text, sub); i >= 0 {
			start := strings.LastIndex(text[:i], "\n") + 1
			return strings.SplitN(text[start:], "\n", 2)[0]
		}
		select {
		case <-p.added:
		case <-p.done:
			t.Fatalf("faultyapp ended without logging %q:\n%s", sub, text)
		case <-deadline:
			t.Fatalf("no %q in the log:\n%s", sub, text)
		}
	}
}

func (p *proc) get(ctx context.Context, path string) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, "GET", "http://"+p.addr+path, nil)
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// wait returns the process's end: its exit code, or -1 and the signal.
func (p *proc) wait(t *testing.T) (int, syscall.Signal) {
	t.Helper()
	ended := make(chan struct{})
	go func() { <-p.done; p.cmd.Wait(); close(ended) }()
	select {
	case <-ended:
	case <-time.After(waitLimit):
		t.Fatal("faultyapp did not end")
	}
	ws := p.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		return -1, ws.Signal()
	}
	return ws.ExitStatus(), 0
}

func TestSigterm(t *testing.T) {
	cases := []struct {
		mode string
		code int
		log  string
	}{
		{"exit", 143, "SIGTERM: exiting with 143 at once"},
		{"drain", 0, "drained: exit 0"},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			p := run(t, "-on-sigterm", tc.mode)
			p.cmd.Process.Signal(syscall.SIGTERM)
			p.waitFor(t, tc.log)
			if code, sig := p.wait(t); code != tc.code {
				t.Errorf("exit %d (signal %v), want %d", code, sig, tc.code)
			}
		})
	}
}

func TestSigtermIgnoredUntilSIGKILL(t *testing.T) {
	p := run(t, "-on-sigterm", "ignore")
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitFor(t, "SIGTERM: ignored")
	if code, err := p.get(context.Background(), "/"); code != 200 {
		t.Fatalf("after SIGTERM: %d %v, want still serving", code, err)
	}
	p.cmd.Process.Signal(syscall.SIGKILL) // the kubelet, after the grace period
	if _, sig := p.wait(t); sig != syscall.SIGKILL {
		t.Errorf("ended by %v, want SIGKILL (a container reports 137)", sig)
	}
}

func TestDeadlockKeepsProcessAlive(t *testing.T) {
	p := run(t, "-fault", "deadlock", "-after", "1")
	if code, _ := p.get(context.Background(), "/"); code != 200 {
		t.Fatal("first request failed")
	}
	ctx, cancel := context.WithCancel(context.Background())
	got := make(chan error, 1)
	go func() { _, err := p.get(ctx, "/"); got <- err }()
	p.waitFor(t, "#2 GET / blocked in the deadlock")
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Fatalf("deadlocked request: %v, want no answer", err)
	}
	// Go's runtime did not call it a deadlock (that would exit 2 with "all
	// goroutines are asleep"): the process is alive and handles SIGTERM.
	p.cmd.Process.Signal(syscall.SIGTERM)
	if code, _ := p.wait(t); code != 143 {
		t.Errorf("exit %d, want 143", code)
	}
}

func TestCrash(t *testing.T) {
	p := run(t, "-fault", "crash", "-after", "1", "-exit-code", "42")
	p.get(context.Background(), "/")
	if _, err := p.get(context.Background(), "/"); err == nil {
		t.Error("the crashing request got an answer")
	}
	if code, _ := p.wait(t); code != 42 {
		t.Errorf("exit %d, want 42", code)
	}
}

// exitOf runs faultyapp to its end and returns its code and output.
func exitOf(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut strings.Builder
	cmd := exec.Command(binary, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errOut.String()
}

func TestBadFlags(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-fault", "foo"}, `faultyapp: -fault "foo" is not a fault; use one of: none, fail-after, hang, deadlock, crash, slow-start, tcp-close, exec-file, leak, flaky, heavy-health, dependency, auth-health, grpc` + "\n"},
		{[]string{"-on-sigterm", "stop"}, `faultyapp: -on-sigterm "stop" is not a SIGTERM mode; use one of: exit, drain, ignore` + "\n"},
		{[]string{"-after", "-3"}, `faultyapp: -after "-3" is not a count; use a whole number, 0 or more` + "\n"},
		{[]string{"-bogus"}, "faultyapp: flag provided but not defined: -bogus (see faultyapp -help)\n"},
	}
	for _, tc := range cases {
		code, _, stderr := exitOf(t, tc.args...)
		if code != 2 || stderr != tc.want {
			t.Errorf("%v: exit %d, stderr %q\nwant exit 2, %q", tc.args, code, stderr, tc.want)
		}
	}
}

func TestHelp(t *testing.T) {
	code, stdout, _ := exitOf(t, "-help")
	if code != 0 || !strings.Contains(stdout, "-control (default false") || !strings.Contains(stdout, "off by default") {
		t.Errorf("exit %d, help:\n%s", code, stdout)
	}
}

func TestCheckSubcommand(t *testing.T) {
	file := filepath.Join(t.TempDir(), "healthy")
	if code, _, stderr := exitOf(t, "check", "-file", file); code != 1 || stderr != "faultyapp: check: "+file+" is missing\n" {
		t.Errorf("missing file: exit %d, %q", code, stderr)
	}
	os.WriteFile(file, nil, 0o644)
	if code, _, _ := exitOf(t, "check", "-file", file); code != 0 {
		t.Errorf("existing file: exit %d", code)
	}
}
