package fault

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
)

// waitLimit bounds every wait for something asynchronous; it is a guard
// against hanging, not a performance threshold.
const waitLimit = 10 * time.Second

// logSink collects log lines and lets a test wait for one.
type logSink struct {
	mu    sync.Mutex
	lines []string
	added chan struct{}
}

func newSink() *logSink { return &logSink{added: make(chan struct{}, 1)} }

func (s *logSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	s.lines = append(s.lines, string(p))
	s.mu.Unlock()
	select {
	case s.added <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *logSink) count(sub string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range s.lines {
		if strings.Contains(l, sub) {
			n++
		}
	}
	return n
}

func (s *logSink) waitFor(t *testing.T, sub string) {
	t.Helper()
	deadline := time.After(waitLimit)
	for s.count(sub) == 0 {
		select {
		case <-s.added:
		case <-deadline:
			t.Fatalf("no log line with %q in:\n%s", sub, strings.Join(s.lines, ""))
		}
	}
}

type effects struct {
	mu     sync.Mutex
	closed int
	exits  []int
}

func (f *effects) fx() Effects {
	return Effects{
		CloseListener: func() { f.mu.Lock(); f.closed++; f.mu.Unlock() },
		Exit:          func(c int) { f.mu.Lock(); f.exits = append(f.exits, c); f.mu.Unlock() },
	}
}

func newEngine(t *testing.T, mod func(*config.Config)) (*Engine, *logSink, *effects) {
	t.Helper()
	cfg := config.Default()
	cfg.HealthFile = filepath.Join(t.TempDir(), "healthy")
	mod(&cfg)
	sink, fx := newSink(), &effects{}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	e, err := New(ctx, cfg, reqlog.New(sink), fx.fx())
	if err != nil {
		t.Fatal(err)
	}
	return e, sink, fx
}

func verdicts(e *Engine, k Kind, n int) []Verdict {
	out := make([]Verdict, n)
	for i := range out {
		out[i] = e.Request(k).Verdict
	}
	return out
}

func TestCountedFaults(t *testing.T) {
	cases := []struct {
		fault   config.Fault
		kind    Kind
		after   Verdict
		logLine string
	}{
		{config.None, App, Serve, ""},
		{config.FailAfter, App, Fail, "fault fail-after: request 3 -> now answering 500"},
		{config.FailAfter, Health, Fail, "now answering 500"},
		{config.Hang, Health, Hang, "fault hang: request 3 -> requests now hang"},
		{config.Deadlock, App, Deadlock, "fault deadlock: request 3 -> two goroutines"},
		{config.GRPC, GRPC, Fail, "fault grpc: request 3 -> gRPC health now answers NOT_SERVING"},
		{config.GRPC, App, Serve, "NOT_SERVING"}, // HTTP keeps answering
	}
	for _, tc := range cases {
		t.Run(string(tc.fault), func(t *testing.T) {
			e, sink, _ := newEngine(t, func(c *config.Config) { c.Fault, c.After = tc.fault, 2 })
			got := verdicts(e, tc.kind, 5)
			want := []Verdict{Serve, Serve, tc.after, tc.after, tc.after}
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("verdicts = %v, want %v", got, want)
				}
			}
			if tc.logLine != "" && sink.count(tc.logLine) != 1 {
				t.Errorf("want the transition %q logged once; log:\n%s", tc.logLine, sink.lines)
			}
		})
	}
}

func TestCrashExitsOnce(t *testing.T) {
	e, sink, fx := newEngine(t, func(c *config.Config) { c.Fault, c.After, c.ExitCode = config.Crash, 1, 3 })
	got := verdicts(e, App, 3)
	if got[0] != Serve || got[1] != Crash || got[2] != Crash {
		t.Errorf("verdicts = %v", got)
	}
	if len(fx.exits) != 1 || fx.exits[0] != 3 {
		t.Errorf("exits = %v, want [3]", fx.exits)
	}
	sink.waitFor(t, "fault crash: request 2 -> exiting with code 3")
}

func TestTCPCloseCountsConnections(t *testing.T) {
	e, sink, fx := newEngine(t, func(c *config.Config) { c.Fault, c.After = config.TCPClose, 2 })
	verdicts(e, App, 5) // requests do not close the listener
	if fx.closed != 0 {
		t.Fatal("requests closed the listener")
	}
	var seen []int64
	announce := func(n int64) { seen = append(seen, n) }
	e.Conn(announce)
	e.Conn(announce)
	if len(seen) != 2 || seen[1] != 2 {
		t.Fatalf("announced %v, want [1 2]", seen)
	}
	if fx.closed != 1 {
		t.Errorf("listener closed %d times, want 1 (at the 2nd connection)", fx.closed)
	}
	sink.waitFor(t, "fault tcp-close: connection 2 -> listener closed")
}

func TestExecFile(t *testing.T) {
	e, sink, _ := newEngine(t, func(c *config.Config) { c.Fault, c.After = config.ExecFile, 1 })
	path := e.Config().HealthFile
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("health file not created: %v", err)
	}
	e.Request(Health)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("health file removed too early: %v", err)
	}
	if v := e.Request(App).Verdict; v != Serve {
		t.Errorf("verdict %v: exec-file must not change answers", v)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("health file still there after 2 requests: %v", err)
	}
	sink.waitFor(t, "fault exec-file: request 2 -> removed "+path)
}

func TestExecFileUnwritable(t *testing.T) {
	cfg := config.Default()
	cfg.Fault, cfg.HealthFile = config.ExecFile, filepath.Join(t.TempDir(), "no", "such", "dir")
	_, err := New(context.Background(), cfg, reqlog.New(newSink()), (&effects{}).fx())
	if err == nil || !strings.Contains(err.Error(), "-health-file") {
		t.Errorf("err = %v, want a hint about -health-file", err)
	}
}

func TestLeakGrowsAndKeeps(t *testing.T) {
	e, sink, _ := newEngine(t, func(c *config.Config) { c.Fault, c.After, c.LeakRate = config.Leak, 1, 1 })
	e.leak.interval = time.Millisecond
	e.Request(App)
	if e.Leaked() != 0 {
		t.Fatal("leaking before the fault began")
	}
	e.Request(App)
	sink.waitFor(t, "leak: holding 3 MiB")
	if e.Leaked() < 3*mib {
		t.Errorf("Leaked = %d, want >= 3 MiB", e.Leaked())
	}
}

func TestFlaky(t *testing.T) {
	for _, p := range []float64{0, 1} {
		e, _, _ := newEngine(t, func(c *config.Config) { c.Fault, c.P = config.Flaky, p })
		want := map[float64]Verdict{0: Serve, 1: Fail}[p]
		for _, v := range verdicts(e, App, 20) {
			if v != want {
				t.Fatalf("p=%v: verdict %v", p, v)
			}
		}
	}
	seq := func() []Verdict {
		e, _, _ := newEngine(t, func(c *config.Config) { c.Fault, c.P, c.Seed = config.Flaky, 0.5, 42 })
		return verdicts(e, App, 64)
	}
	a, b := seq(), seq()
	fails := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same -seed, different failures")
		}
		if a[i] == Fail {
			fails++
		}
	}
	if fails == 0 || fails == len(a) {
		t.Errorf("p=0.5 gave %d failures out of %d", fails, len(a))
	}
}

func TestAfterTime(t *testing.T) {
	e, sink, _ := newEngine(t, func(c *config.Config) {
		c.Fault, c.After, c.AfterTime = config.FailAfter, 1000, time.Millisecond
	})
	sink.waitFor(t, "fault fail-after: 1ms later -> now answering 500")
	if v := e.Request(App).Verdict; v != Fail {
		t.Errorf("verdict after -after-time = %v, want Fail", v)
	}
}

func TestAfterZeroBeginsAtStart(t *testing.T) {
	_, sink, fx := newEngine(t, func(c *config.Config) { c.Fault, c.After = config.TCPClose, 0 })
	if fx.closed != 1 {
		t.Error("tcp-close -after 0 did not close the listener at start")
	}
	sink.waitFor(t, "fault tcp-close: at start -> listener closed")
}

func TestSwitchCountsFromNow(t *testing.T) {
	e, sink, _ := newEngine(t, func(c *config.Config) {})
	verdicts(e, App, 10)
	cfg := e.Config()
	cfg.Fault, cfg.After = config.FailAfter, 1
	if err := e.Switch(cfg); err != nil {
		t.Fatal(err)
	}
	got := verdicts(e, App, 2)
	if got[0] != Serve || got[1] != Fail {
		t.Errorf("verdicts after switch = %v, want [Serve Fail]", got)
	}
	sink.waitFor(t, "control: fault none -> fault=fail-after after=1 (from request 11)")
	sink.waitFor(t, "fault fail-after: request 12 -> now answering 500")
}

func TestDrain(t *testing.T) {
	e, _, _ := newEngine(t, func(c *config.Config) {})
	if e.Draining() {
		t.Fatal("draining at start")
	}
	e.Drain()
	if !e.Draining() {
		t.Error("Drain did not mark health failing")
	}
}

func TestConcurrentSwitchesAndRequests(t *testing.T) {
	e, _, _ := newEngine(t, func(c *config.Config) {})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			cfg := e.Config()
			cfg.Fault, cfg.After, cfg.AfterTime = config.FailAfter, int64(i), time.Hour
			if err := e.Switch(cfg); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() { e.Request(App) })
	}
	wg.Wait()
	if e.Config().Fault != config.FailAfter || e.Requests() != 8 {
		t.Errorf("fault %s after %d requests", e.Config().Fault, e.Requests())
	}
}
