package verdict

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/probedrill/probedrill/internal/timeline"
)

func sec(s int) time.Duration { return time.Duration(s) * time.Second }

// pred is a predicted entry with a window in seconds.
func pred(k timeline.Kind, inst, lo, hi int, f ...func(*timeline.Entry)) timeline.Entry {
	e := timeline.Entry{Kind: k, Instance: inst, At: sec(lo+hi) / 2, Earliest: sec(lo), Latest: sec(hi), Container: "test2"}
	for _, g := range f {
		g(&e)
	}
	return e
}

// seen is an observed entry.
func seen(k timeline.Kind, inst, at int, f ...func(*timeline.Entry)) timeline.Entry {
	e := timeline.Entry{Kind: k, Instance: inst, At: sec(at), Earliest: sec(at), Latest: sec(at), Container: "test2"}
	for _, g := range f {
		g(&e)
	}
	return e
}

func msg(m string) func(*timeline.Entry) { return func(e *timeline.Entry) { e.Message = m } }
func warn(m string) func(*timeline.Entry) {
	return func(e *timeline.Entry) { e.Message, e.Type = m, "Warning" }
}
func normal(e *timeline.Entry) { e.Type = "Normal" }
func exit(code int32, reason string) func(*timeline.Entry) {
	return func(e *timeline.Entry) { e.ExitCode, e.Reason = timeline.Int32(code), reason }
}

const (
	liveness  = "Liveness probe failed: HTTP probe failed with statuscode: 500"
	readiness = "Readiness probe failed: HTTP probe failed with statuscode: 500"
)

// The seed drill's first two kills as the predictor models them.
func seedPredicted() timeline.Timeline {
	return timeline.Timeline{Entries: []timeline.Entry{
		pred(timeline.Started, 0, 0, 2),
		pred(timeline.ProbeFailed, 0, 58, 62, msg("Liveness probe failed")),
		pred(timeline.ProbeFailed, 0, 68, 72, msg("Liveness probe failed")),
		pred(timeline.ProbeFailed, 0, 78, 82, msg("Liveness probe failed")),
		pred(timeline.Killing, 0, 78, 82),
		pred(timeline.Terminated, 0, 78, 83, exit(143, "Error")),
		pred(timeline.Started, 1, 79, 84),
		pred(timeline.Killing, 1, 158, 162),
		pred(timeline.Started, 2, 160, 170),
	}}
}

// The seed drill as observed, before any edits a case makes.
func seedObserved() []timeline.Entry {
	return []timeline.Entry{
		seen(timeline.Started, 0, 1),
		seen(timeline.ProbeFailed, 0, 60, warn(liveness)),
		seen(timeline.ProbeFailed, 0, 70, warn(liveness)),
		seen(timeline.ProbeFailed, 0, 80, warn(liveness)),
		seen(timeline.Killing, 0, 80, normal),
		seen(timeline.Terminated, 0, 80, exit(143, "Error")),
		seen(timeline.Started, 1, 81),
		seen(timeline.Killing, 1, 160, normal),
		seen(timeline.Started, 2, 165),
	}
}

func TestCompare(t *testing.T) {
	type edit func([]timeline.Entry) []timeline.Entry
	replace := func(i int, e timeline.Entry) edit {
		return func(es []timeline.Entry) []timeline.Entry { es[i] = e; return es }
	}
	drop := func(i int) edit {
		return func(es []timeline.Entry) []timeline.Entry { return slices.Delete(es, i, i+1) }
	}
	add := func(e timeline.Entry) edit {
		return func(es []timeline.Entry) []timeline.Entry { return append(es, e) }
	}
	cases := []struct {
		name string
		edit edit
		opts []Option
		ok   bool
		// want maps a line label to its status and (when set) its exact text.
		want map[string][2]string
	}{{
		name: "as predicted",
		ok:   true,
		want: map[string][2]string{"restart 2": {"matched", "restart 2 at +2m45s, predicted +2m40s…+2m50s"}},
	}, {
		name: "restart late: back-off longer than the model",
		edit: replace(8, seen(timeline.Started, 2, 212)),
		want: map[string][2]string{"restart 2": {"late", "restart 2 came at +3m32s, predicted +2m40s…+2m50s (42 s late: back-off longer than the model)"}},
	}, {
		name: "one second either side is the API's resolution, not a miss",
		edit: replace(8, seen(timeline.Started, 2, 171)),
		ok:   true,
		want: map[string][2]string{"restart 2": {"matched", ""}},
	}, {
		name: "probe failure early",
		edit: replace(1, seen(timeline.ProbeFailed, 0, 50, warn(liveness))),
		want: map[string][2]string{"Liveness probe failure 1": {"early", "Liveness probe failure 1 came at +50s, predicted +58s…+1m2s (8.0 s early: the app failed sooner than the model)"}},
	}, {
		name: "kill not observed, after earlier kills: the event spam filter is a suspect",
		edit: drop(7),
		want: map[string][2]string{"Killing #1": {"missing", "predicted Killing #1 at +2m38s…+2m42s was not observed (the kubelet sends at most 25 events of one type about a pod, then one per 5 minutes, so it may have been dropped)"}},
	}, {
		name: "first kill not observed: no hint",
		edit: drop(4),
		want: map[string][2]string{"Killing #0": {"missing", "predicted Killing #0 at +1m18s…+1m22s was not observed"}},
	}, {
		name: "an extra restart",
		edit: add(seen(timeline.Started, 3, 300)),
		want: map[string][2]string{"restart 3": {"unexpected", "restart 3 at +5m0s was not predicted"}},
	}, {
		name: "exit code differs: SIGTERM ignored, SIGKILL after the grace period",
		edit: replace(5, seen(timeline.Terminated, 0, 80, exit(137, "Error"))),
		want: map[string][2]string{"exit of instance #0": {"different", "exit of instance #0 at +1m20s exited 137 (Error), predicted 143 (Error)"}},
	}, {
		name: "horizon: later predictions are not yet due, later observations ignored",
		edit: add(seen(timeline.Started, 3, 300)),
		opts: []Option{Until(sec(100))},
		ok:   true,
		want: map[string][2]string{
			"Killing #1": {"not-yet-due", "Killing #1 predicted at +2m38s…+2m42s is not due yet"},
			"restart 2":  {"not-yet-due", ""},
		},
	}, {
		name: "an unseen entry whose window is open, or closed less than Settle ago, is awaited",
		edit: drop(6),
		opts: []Option{Until(sec(84) + Resolution + Settle)},
		ok:   true,
		want: map[string][2]string{"restart 1": {"open", "restart 1 predicted at +1m19s…+1m24s is not seen yet"}},
	}, {
		name: "after Settle it is missing",
		edit: drop(6),
		opts: []Option{Until(sec(84) + Resolution + Settle + time.Millisecond)},
		want: map[string][2]string{"restart 1": {"missing", ""}},
	}, {
		name: "readiness failures do not stand in for liveness failures",
		edit: replace(1, seen(timeline.ProbeFailed, 0, 60, warn(readiness))),
		want: map[string][2]string{"Liveness probe failure 3": {"missing", ""}},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			obs := seedObserved()
			if c.edit != nil {
				obs = c.edit(obs)
			}
			r := Compare(seedPredicted(), timeline.Timeline{Entries: obs}, c.opts...)
			if r.OK() != c.ok {
				t.Errorf("OK() = %v, want %v\n%s", r.OK(), c.ok, r)
			}
			undecided := slices.ContainsFunc(r.Lines, func(m Match) bool { return m.Status == Open || m.Status == NotYetDue })
			if r.Settled() == undecided {
				t.Errorf("Settled() = %v with lines open or not yet due: %v\n%s", r.Settled(), undecided, r)
			}
			for lbl, w := range c.want {
				m, found := line(r, lbl)
				if !found {
					t.Errorf("no line %q in\n%s", lbl, r)
					continue
				}
				if string(m.Status) != w[0] || (w[1] != "" && m.Text != w[1]) {
					t.Errorf("line %q = %s %q,\nwant %s %q", lbl, m.Status, m.Text, w[0], w[1])
				}
			}
		})
	}
}

func line(r Result, label string) (Match, bool) {
	for _, m := range r.Lines {
		if m.Label == label {
			return m, true
		}
	}
	return Match{}, false
}

// A CrashLoopBackOff is matched to the waiting state, not to one of the
// repeated BackOff events.
func TestCompareBackOffPrefersWaitingState(t *testing.T) {
	p := timeline.Timeline{Entries: []timeline.Entry{pred(timeline.BackOff, 6, 560, 562)}}
	o := timeline.Timeline{Entries: []timeline.Entry{
		seen(timeline.BackOff, 6, 560, warn("Back-off restarting failed container test2 in pod seed_drill(u)")),
		seen(timeline.BackOff, 6, 561, func(e *timeline.Entry) { e.Reason = "CrashLoopBackOff" }),
		seen(timeline.BackOff, 6, 575, warn("Back-off restarting failed container test2 in pod seed_drill(u)")),
	}}
	r := Compare(p, o)
	if !r.OK() || r.Lines[0].Observed.Reason != "CrashLoopBackOff" {
		t.Errorf("want the waiting state matched:\n%s", r)
	}
}

// A Deployment drill follows a replacement pod; an unpredicted line names it.
func TestCompareNamesTheReplacementPod(t *testing.T) {
	onPod := func(pod string) func(*timeline.Entry) { return func(e *timeline.Entry) { e.Pod = pod } }
	p := timeline.Timeline{Entries: []timeline.Entry{pred(timeline.Started, 0, 0, 2)}}
	o := timeline.Timeline{Entries: []timeline.Entry{
		seen(timeline.Started, 0, 1, onPod("web-a")),
		seen(timeline.Started, 0, 352, onPod("web-b")),
	}}
	r := Compare(p, o)
	if m, ok := line(r, "container start of pod web-b"); !ok || m.Status != Unexpected {
		t.Errorf("want the replacement's start named and unexpected:\n%s", r)
	}
}

func TestResultStringAndJSON(t *testing.T) {
	obs := seedObserved()
	obs[8] = seen(timeline.Started, 2, 212)
	obs = append(obs, seen(timeline.Started, 3, 300))
	r := Compare(seedPredicted(), timeline.Timeline{Entries: obs})
	want := `                          predicted      observed
container start           +0s…+2s        +1s     ok
Liveness probe failure 1  +58s…+1m2s     +1m0s   ok
Liveness probe failure 2  +1m8s…+1m12s   +1m10s  ok
Liveness probe failure 3  +1m18s…+1m22s  +1m20s  ok
Killing #0                +1m18s…+1m22s  +1m20s  ok
exit of instance #0       +1m18s…+1m23s  +1m20s  ok, exit 143 (Error)
restart 1                 +1m19s…+1m24s  +1m21s  ok
Killing #1                +2m38s…+2m42s  +2m40s  ok
restart 2                 +2m40s…+2m50s  +3m32s  42 s late
restart 3                 -              +5m0s   not predicted
2 of 10 not as predicted:
  - restart 2 came at +3m32s, predicted +2m40s…+2m50s (42 s late: back-off longer than the model)
  - restart 3 at +5m0s was not predicted
`
	if diff := cmp.Diff(want, r.String()); diff != "" {
		t.Errorf("String() (-want +got):\n%s", diff)
	}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`"mismatched":2`, `"status":"late"`, `"off":42000000000`} {
		if !strings.Contains(string(raw), s) {
			t.Errorf("JSON lacks %s: %s", s, raw)
		}
	}
}

// A probe failure the model did not predict (a healthy app that missed the
// timeout on a busy node) is left over: the failures that were predicted
// are matched by time, not shifted by one.
func TestCompareLeavesAnExtraFailureOver(t *testing.T) {
	const status500 = "Liveness probe failed: HTTP probe failed with statuscode: 500"
	p := timeline.Timeline{Entries: []timeline.Entry{
		pred(timeline.ProbeFailed, 0, 59, 61, msg(status500)),
		pred(timeline.ProbeFailed, 0, 69, 71, msg(status500)),
	}}
	o := timeline.Timeline{Entries: []timeline.Entry{
		seen(timeline.ProbeFailed, 0, 31, warn(`Liveness probe failed: Get "http://10.244.1.26:8080/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`)),
		seen(timeline.ProbeFailed, 0, 60, warn(status500)),
		seen(timeline.ProbeFailed, 0, 70, warn(status500)),
	}}
	if r := Compare(p, o); !r.OK() {
		t.Errorf("the extra failure at +31s shifted the matches:\n%s", r)
	}
}

// The kubelet states the back-off in the waiting message: a hold-back in
// time but for another delay is a different back-off rule.
func TestCompareBackOffDelay(t *testing.T) {
	p := timeline.Timeline{Entries: []timeline.Entry{pred(timeline.BackOff, 3, 64, 66, msg("back-off 20s restarting failed container=test2 pod={pod}_{namespace}({uid})"))}}
	waiting := func(delay string) timeline.Timeline {
		return timeline.Timeline{Entries: []timeline.Entry{seen(timeline.BackOff, 3, 65, func(e *timeline.Entry) {
			e.Reason, e.Message = "CrashLoopBackOff", "back-off "+delay+" restarting failed container=test2 pod=p_ns(u)"
		})}}
	}
	if r := Compare(p, waiting("20s")); !r.OK() {
		t.Errorf("same delay:\n%s", r)
	}
	r := Compare(p, waiting("40s"))
	if r.OK() || r.Lines[0].Status != Different || !strings.Contains(r.Lines[0].Text, `says "40s", predicted "20s"`) {
		t.Errorf("another delay must be different:\n%s", r)
	}
	// A run of the model in which an earlier kill found the exited
	// container deleted states another back-off (Cause.OtherBackOffs).
	p.Entries[0].Cause = &timeline.Cause{Code: timeline.CauseCrashLoopBackOff, BackOff: sec(20), OtherBackOffs: []time.Duration{sec(10)}}
	if r := Compare(p, waiting("10s")); !r.OK() {
		t.Errorf("the other delay a run states:\n%s", r)
	}
	if r := Compare(p, waiting("40s")); r.OK() {
		t.Errorf("a delay no run states must be different:\n%s", r)
	}
}

// A hold-back the kill that found the exited container deleted skipped
// (optional) may be missing; one that is not optional may not.
func TestCompareOptionalBackOff(t *testing.T) {
	held := pred(timeline.BackOff, 3, 64, 66, msg("back-off 20s restarting failed container=test2 pod={pod}_{namespace}({uid})"))
	for _, optional := range []bool{true, false} {
		held.Optional = optional
		r := Compare(timeline.Timeline{Entries: []timeline.Entry{held}}, timeline.Timeline{}, Until(sec(120)))
		if r.OK() != optional || optional && r.Lines[0].Status != Skipped {
			t.Errorf("optional %v, none observed:\n%s", optional, r)
		}
	}
	// One that came late is late: a hold-back is matched by its instance,
	// so the observation cannot be the next one's.
	held.Optional = true
	late := timeline.Timeline{Entries: []timeline.Entry{seen(timeline.BackOff, 3, 90, func(e *timeline.Entry) { e.Reason = "CrashLoopBackOff" })}}
	if r := Compare(timeline.Timeline{Entries: []timeline.Entry{held}}, late, Until(sec(120))); r.OK() || r.Lines[0].Status != Late {
		t.Errorf("an optional hold-back 24 s late:\n%s", r)
	}
}

// An OOM kill may read Error (containerd, systemd cgroup driver).
func TestCompareOOMKillReadAsError(t *testing.T) {
	p := timeline.Timeline{Entries: []timeline.Entry{pred(timeline.Terminated, 0, 10, 20, exit(137, "OOMKilled"))}}
	o := timeline.Timeline{Entries: []timeline.Entry{seen(timeline.Terminated, 0, 15, exit(137, "Error"))}}
	if r := Compare(p, o); !r.OK() {
		t.Errorf("137 Error for a predicted OOM kill:\n%s", r)
	}
	o = timeline.Timeline{Entries: []timeline.Entry{seen(timeline.Terminated, 0, 15, exit(143, "Error"))}}
	if r := Compare(p, o); r.OK() {
		t.Errorf("143 is no OOM kill:\n%s", r)
	}
}

// TestCompareOptionalFailures: a predicted series of startup failures whose
// last entry is optional (some runs of the model have one failure fewer)
// may be observed one short — and the missing one may be its first: a
// series that began a tick later has its failures a period later each.
// Only as many failures as are optional may be left out.
func TestCompareOptionalFailures(t *testing.T) {
	const refused = "Startup probe failed: connection refused"
	optional := func(e *timeline.Entry) { e.Optional = true }
	p := timeline.Timeline{Entries: []timeline.Entry{
		pred(timeline.ProbeFailed, 0, 2, 3, msg(refused)),
		pred(timeline.ProbeFailed, 0, 4, 5, msg(refused)),
		pred(timeline.ProbeFailed, 0, 6, 7, msg(refused), optional),
	}}
	failures := func(at ...int) timeline.Timeline {
		var o timeline.Timeline
		for _, a := range at {
			o.Add(seen(timeline.ProbeFailed, 0, a, warn(refused)))
		}
		return o
	}
	for _, c := range []struct {
		name     string
		observed timeline.Timeline
		ok       bool
		skipped  int
	}{
		{"all three", failures(2, 4, 6), true, 0},
		{"the last one left out", failures(2, 4), true, 1},
		{"the series a tick later", failures(4, 6), true, 1},
		{"two left out, one optional", failures(4), false, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := Compare(p, c.observed, Until(sec(30)))
			if r.OK() != c.ok {
				t.Errorf("OK() = %v, want %v:\n%s", r.OK(), c.ok, r)
			}
			n := 0
			for _, l := range r.Lines {
				if l.Status == Skipped {
					n++
				}
			}
			if n != c.skipped {
				t.Errorf("%d lines skipped, want %d:\n%s", n, c.skipped, r)
			}
		})
	}
}

// A pause of the machine is said beside the table: the observed offsets
// leave it out, and a reader comparing them with the API's timestamps must
// know why they differ.
func TestComparisonNotesPauses(t *testing.T) {
	var predicted, observed timeline.Timeline
	predicted.Add(timeline.Entry{Kind: timeline.Started, At: time.Second, Earliest: 0, Latest: 3 * time.Second})
	observed.Add(timeline.Entry{Kind: timeline.Started, At: time.Second, Earliest: time.Second, Latest: time.Second})
	observed.Pauses = []timeline.Pause{{At: 70 * time.Second, For: 17200 * time.Millisecond}}
	r := Compare(predicted, observed)
	if !r.OK() || len(r.Pauses) != 1 {
		t.Fatalf("got %+v", r)
	}
	if !strings.Contains(r.String(), "note: the machine was paused 17.2s at +1m10s") {
		t.Errorf("the table does not note the pause:\n%s", r)
	}
}
