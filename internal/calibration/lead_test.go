package calibration

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
)

// Logs of faultyapp's first container as a kind cluster wrote them
// (docs/kubelet-probes.md "The probe workers' phase").
const (
	// One pod alone, liveness period 20 s: the first request came 19.499 s
	// after the start, so the workers started 0.501 s before it.
	soloLog = `2026-12-07T16:42:37.582Z faultyapp v0.1.0 starting: host=solo1 fault=none on-sigterm=exit
2026-12-07T16:42:37.583Z listening on [::]:8080 (HTTP/1.1, and gRPC health over h2c)
2026-12-07T16:42:57.081Z #1 GET / 200 from 10.244.1.1:47110 kube-probe/1.37
2026-12-07T16:43:17.080Z #2 GET / 200 from 10.244.1.1:47111 kube-probe/1.37
`
	// Six pods created at once, period 2 s: the request 2.334 s after the
	// start allows a lead of 1.666 s or 3.666 s under the 4.326 s since
	// the pod's creation second (with a 20 s period that copy showed 3.67).
	busyLog = `2026-12-07T16:41:26.326Z faultyapp v0.1.0 starting: host=lead1 fault=fail-after on-sigterm=exit
2026-12-07T16:41:26.327Z listening on [::]:8080 (HTTP/1.1, and gRPC health over h2c)
2026-12-07T16:41:27.100Z #1 GET /version 200 from 10.244.1.7:40000 curl/8.5
2026-12-07T16:41:28.660Z #2 GET / 200 from 10.244.1.1:43580 kube-probe/1.37
`
)

// Pieces of busyLog: its start and a request from curl; its probe alone.
const (
	curlOnly = `2026-12-07T16:41:26.326Z faultyapp v0.1.0 starting: host=lead1 fault=fail-after on-sigterm=exit
2026-12-07T16:41:27.100Z #1 GET /version 200 from 10.244.1.7:40000 curl/8.5
`
	probeOnly = "2026-12-07T16:41:28.660Z #2 GET / 200 from 10.244.1.1:43580 kube-probe/1.37\n"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestLeads(t *testing.T) {
	ms := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	for _, c := range []struct {
		name    string
		log     string
		created string
		period  time.Duration
		want    []time.Duration
	}{
		{"one lead fits", soloLog, "2026-12-07T16:42:36Z", 20 * time.Second, []time.Duration{ms(501)}},
		// The same start with a 2 s period: the second lead, 2.501 s,
		// would start the workers before the pod existed.
		{"short period, quick start", soloLog, "2026-12-07T16:42:36Z", 2 * time.Second, []time.Duration{ms(501)}},
		{"two leads fit", busyLog, "2026-12-07T16:41:22Z", 2 * time.Second, []time.Duration{ms(1666), ms(3666)}},
		{"a request not from the kubelet is no probe", curlOnly, "2026-12-07T16:41:22Z", 2 * time.Second, nil},
		{"no start line", probeOnly, "2026-12-07T16:41:22Z", 2 * time.Second, nil},
		{"a start not from faultyapp", "2026-12-07T16:41:26.326Z SIGTERM while starting: nothing to drain; exit 0\n" + probeOnly, "2026-12-07T16:41:22Z", 2 * time.Second, nil},
		// A creation time after the start is a clock the log cannot be read
		// against: no lead rather than a wrong one.
		{"created after the start", soloLog, "2026-12-07T16:42:38Z", 20 * time.Second, nil},
	} {
		got := Leads(c.log, at(c.created), c.period)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: Leads = %v, want %v", c.name, got, c.want)
		}
	}
}

// A calibration keeps the leads a tally took, prints them, and leaves the
// model's WorkerLead at the envelope's (spanOf says why).
func TestLeadsAreStoredNotRead(t *testing.T) {
	var tally Tally
	for _, created := range []string{"2026-12-07T16:42:36Z", "2026-12-07T16:42:36Z", "2026-12-07T16:42:37Z"} {
		tally.AddLeads(Leads(soloLog, at(created), 20*time.Second))
	}
	tally.AddLeads(Leads(busyLog, at("2026-12-07T16:41:22Z"), 2*time.Second))
	tally.AddLeads(nil) // a copy whose log was not read
	f := tally.File("a test", time.Now())
	// 0.501 ×3, 1.666, 3.666: mean 1.367 s.
	if m := f.Latencies[WorkerLead]; m.N != 5 || m.MinSeconds != 0.501 || m.MaxSeconds != 3.666 || math.Abs(m.MeanSeconds-1.367) > 1e-9 {
		t.Errorf("workerLead %+v, want 5 samples 0.501…3.666 s, mean 1.367 s", m)
	}
	if k := f.Kubelet(predict.Kubelet{}); k.WorkerLead != predict.DefaultKubelet().WorkerLead {
		t.Errorf("WorkerLead %+v: the model read the measured lead", k.WorkerLead)
	}
	var b strings.Builder
	if err := f.WriteSpans(&b); err != nil {
		t.Fatal(err)
	}
	if want := "workerLead  5        500ms  1.37s  3.67s  not read by the model"; !strings.Contains(b.String(), want) {
		t.Errorf("the table lacks %q:\n%s", want, b.String())
	}
}
