package calibration

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/probedrill/probedrill/internal/predict"
)

// Version is the calibration file's format version.
const Version = 1

// minSamples is how many samples a latency needs before it replaces the
// model's built-in span: fewer say little about its tail.
const minSamples = 5

// File is a stored calibration: what a cluster's latencies measured, and
// where they were measured.
type File struct {
	Version    int                  `json:"version"`
	MeasuredAt time.Time            `json:"measuredAt"`
	Source     string               `json:"source"`
	Latencies  map[Latency]Measured `json:"latencies"`
	// Removals counts the kills whose sync found the exited container
	// before them deleted (predict.Kubelet.Removals); absent in a file
	// measured before it was counted.
	Removals *Removals `json:"removals,omitempty"`
}

// Removals is how often the container GC deleted an exited container
// while the next one was being created, so that the next kill restarted
// at once (docs/kubelet-backoff.md, "When the exited container is gone"):
// Seen of Kills, at most MaxPerDrill in one drill.
type Removals struct {
	Kills       int `json:"kills"`
	Seen        int `json:"seen"`
	MaxPerDrill int `json:"maxPerDrill"`
}

// Measured is one latency's summary, in seconds (each sample is good to a
// second: two truncated API timestamps).
type Measured struct {
	N           int     `json:"n"`
	MinSeconds  float64 `json:"minSeconds"`
	MeanSeconds float64 `json:"meanSeconds"`
	P50Seconds  float64 `json:"p50Seconds"`
	P90Seconds  float64 `json:"p90Seconds"`
	MaxSeconds  float64 `json:"maxSeconds"`
}

// New summarises samples and removals into a File; source says what was
// measured.
func New(s Samples, r Removals, source string, at time.Time) File {
	f := File{Version: Version, MeasuredAt: at.UTC().Truncate(time.Second), Source: source, Latencies: map[Latency]Measured{}, Removals: &r}
	for _, l := range Latencies {
		st := Of(s[l])
		f.Latencies[l] = Measured{N: st.N, MinSeconds: st.Min.Seconds(), MeanSeconds: st.Mean.Seconds(), P50Seconds: st.P50.Seconds(),
			P90Seconds: st.P90.Seconds(), MaxSeconds: st.Max.Seconds()}
	}
	return f
}

// spanOf is each calibrated latency's model span. Only those an API
// timeline shows end to end: the probe latencies keep base's spans, and
// so does WorkerLead, measured from faultyapp's log but not read. The
// model takes the lead as independent of the first start, while the
// measurements say the workers start within about a second of the pod's
// creation whatever the start, so the lead grows with it; read as an
// independent span, the 12 leads of the shipped default (0.59–1.35 s)
// made every window of the catalog 0.4 s wider (docs/predict.md,
// "Calibration").
var spanOf = map[Latency]func(*predict.Kubelet) *predict.Span{
	FirstStart: func(k *predict.Kubelet) *predict.Span { return &k.FirstStart },
	Restart:    func(k *predict.Kubelet) *predict.Span { return &k.RestartLatency },
	Exit:       func(k *predict.Kubelet) *predict.Span { return &k.ExitLatency },
	Kill:       func(k *predict.Kubelet) *predict.Span { return &k.KillLatency },
	Status:     func(k *predict.Kubelet) *predict.Span { return &k.StatusDelay },
}

// Kubelet is base with the measured spans. A sample s stands for a true
// latency in (s−1 s, s+1 s), so a span runs from the smallest sample less
// a second to the largest plus one, around the mean (Stats.Mean: the
// median of truncated samples overstates a sub-second latency, and a
// restart nominally 1 s after its exit instead of 0.7 s failed 8 of 286
// drills' conditioned windows that the mean keeps inside; suites/README.md);
// a latency with fewer than minSamples samples keeps base's span.
func (f File) Kubelet(base predict.Kubelet) predict.Kubelet {
	k := base.WithDefaults()
	for l, span := range spanOf {
		m, ok := f.Latencies[l]
		if !ok || m.N < minSamples {
			continue
		}
		sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
		*span(&k) = predict.Span{
			Min:     max(sec(m.MinSeconds)-time.Second, 0),
			Nominal: sec(m.MeanSeconds),
			Max:     sec(m.MaxSeconds) + time.Second,
		}
	}
	if f.Removals != nil {
		k.Removals = f.Removals.MaxPerDrill
	}
	return k
}

// Load reads a calibration file strictly: an unknown field, another
// version or an impossible summary is an error naming the file.
func Load(path string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("read calibration %s: %w", path, err)
	}
	return parse(data, path)
}

// parse reads a calibration's JSON strictly; path names it in errors.
func parse(data []byte, path string) (File, error) {
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return File{}, fmt.Errorf("%s: not a probedrill calibration: %w", path, err)
	}
	if f.Version != Version {
		return File{}, fmt.Errorf("%s: version: %d, this probedrill reads version %d; measure again with make measure", path, f.Version, Version)
	}
	for l, m := range f.Latencies {
		if m.N < 0 || m.MinSeconds < 0 || m.MinSeconds > m.P50Seconds || m.MeanSeconds < m.MinSeconds || m.MeanSeconds > m.MaxSeconds || m.P50Seconds > m.P90Seconds || m.P90Seconds > m.MaxSeconds {
			return File{}, fmt.Errorf("%s: latencies.%s: min ≤ p50 ≤ p90 ≤ max and min ≤ mean ≤ max, all ≥ 0, do not hold; measure again", path, l)
		}
	}
	if r := f.Removals; r != nil && (r.MaxPerDrill < 0 || r.MaxPerDrill > r.Seen || r.Seen > r.Kills) {
		return File{}, fmt.Errorf("%s: removals: 0 ≤ maxPerDrill ≤ seen ≤ kills does not hold; measure again", path)
	}
	return f, nil
}

// Save writes f as indented JSON, replacing path only once complete.
func (f File) Save(path string) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("write calibration %s: %w", path, err)
	}
	return os.Rename(tmp, path)
}

// Thin lists the latencies Kubelet reads that have fewer than minSamples
// samples: a calibration drill that measured them so thinly failed.
func (f File) Thin() []Latency {
	var out []Latency
	for _, l := range Latencies {
		if _, read := spanOf[l]; read && f.Latencies[l].N < minSamples {
			out = append(out, l)
		}
	}
	return out
}

// WriteSpans writes, for each latency Kubelet reads, what was measured
// and the span the model takes from it, and any other latency measured:
// a table a person reads.
func (f File) WriteSpans(w io.Writer) error {
	k := f.Kubelet(predict.Kubelet{})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  LATENCY\tSAMPLES\tMIN\tMEAN\tMAX\tMODEL SPAN")
	for _, l := range Latencies {
		m := f.Latencies[l]
		span, read := spanOf[l]
		if !read && m.N == 0 {
			continue
		}
		sec := func(v float64) time.Duration {
			return time.Duration(v * float64(time.Second)).Round(10 * time.Millisecond)
		}
		model := "not read by the model"
		if read {
			s := *span(&k)
			model = fmt.Sprintf("%v … %v … %v", s.Min.Round(10*time.Millisecond), s.Nominal.Round(10*time.Millisecond), s.Max.Round(10*time.Millisecond))
		}
		fmt.Fprintf(tw, "  %s\t%d\t%v\t%v\t%v\t%s\n", l, m.N, sec(m.MinSeconds), sec(m.MeanSeconds), sec(m.MaxSeconds), model)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if f.Removals != nil {
		_, err := fmt.Fprintf(w, "  %s\n", f.Removals)
		return err
	}
	return nil
}

// Union is the calibration both f and o allow: per latency every sample
// of either (the smaller min, the larger max and percentiles, the mean
// over both), the removals of both, measured when the later was. make
// e2e predicts with the union of the suites' history and what it
// measures before them (suites/e2e): a minute of one scenario shows this
// machine's load, too few kills the rare tails the history holds.
func (f File) Union(o File) File {
	u := File{Version: Version, MeasuredAt: f.MeasuredAt, Source: f.Source + "; " + o.Source, Latencies: map[Latency]Measured{}}
	if o.MeasuredAt.After(u.MeasuredAt) {
		u.MeasuredAt = o.MeasuredAt
	}
	for _, l := range Latencies {
		a, b := f.Latencies[l], o.Latencies[l]
		switch {
		case b.N == 0:
			u.Latencies[l] = a
		case a.N == 0:
			u.Latencies[l] = b
		default:
			u.Latencies[l] = Measured{N: a.N + b.N, MinSeconds: min(a.MinSeconds, b.MinSeconds),
				MeanSeconds: (a.MeanSeconds*float64(a.N) + b.MeanSeconds*float64(b.N)) / float64(a.N+b.N),
				P50Seconds:  max(a.P50Seconds, b.P50Seconds), P90Seconds: max(a.P90Seconds, b.P90Seconds),
				MaxSeconds: max(a.MaxSeconds, b.MaxSeconds)}
		}
	}
	if f.Removals != nil || o.Removals != nil {
		var r Removals
		for _, x := range []*Removals{f.Removals, o.Removals} {
			if x != nil {
				r.Add(*x)
			}
		}
		u.Removals = &r
	}
	return u
}
