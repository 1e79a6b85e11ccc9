package calibration

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/probedrill/probedrill/internal/predict"
)

// Source names where a prediction's latencies come from; predict -o json
// prints it as kubelet.calibration.source (docs/predict.md).
type Source string

const (
	// Envelope is the model's built-in spans (predict.DefaultKubelet): the
	// worst delays seen on a loaded 2-core CI machine, not measured on the
	// cluster the prediction is for. A cluster that is not probedrill's
	// gets it: nothing is known about its nodes.
	Envelope Source = "envelope"
	// Default is the calibration shipped in the binary (default.json),
	// measured on probedrill clusters on a 2-core machine.
	Default Source = "default"
	// Cluster is the one `probedrill calibrate` measured on this cluster
	// and node image, kept in the user's cache.
	Cluster Source = "cluster"
	// FromFile is a file the user named (--calibration FILE).
	FromFile Source = "file"
)

//go:embed default.json
var defaultJSON []byte

// FlagUsage is --calibration's help, the same on every command.
const FlagUsage = "latencies to predict with: a calibration FILE, envelope (the built-in, widest) or default (shipped); " +
	"by default the one probedrill calibrate stored for the cluster, else the shipped default"

// Shipped is the default calibration (default.json).
func Shipped() File {
	f, err := parse(defaultJSON, "default.json")
	if err != nil {
		panic(err) // a unit test reads it: never reached in a build that passed
	}
	return f
}

// Key names a stored calibration: a cluster and the node image it runs.
// The latencies belong to both: another image is another runtime.
type Key struct {
	Cluster   string
	NodeImage string
}

// Path is where k's calibration is kept: the probedrill cache
// ($PROBEDRILL_CACHE, by default ~/.cache/probedrill, as images/lib.sh),
// under calibration/.
func (k Key) Path() (string, error) {
	dir := os.Getenv("PROBEDRILL_CACHE")
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory for calibrations: %w", err)
		}
		dir = filepath.Join(base, "probedrill")
	}
	clean := strings.NewReplacer("/", "-", ":", "-", "@", "-", string(filepath.Separator), "-")
	return filepath.Join(dir, "calibration", clean.Replace(k.Cluster)+"_"+clean.Replace(k.NodeImage)+".json"), nil
}

// Store saves f as k's calibration.
func (k Key) Store(f File) (string, error) {
	path, err := k.Path()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", fmt.Errorf("store calibration: %w", err)
	}
	return path, f.Save(path)
}

// Stored reports whether a calibration is kept for k.
func (k Key) Stored() (bool, error) {
	path, err := k.Path()
	if err != nil {
		return false, err
	}
	_, err = os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Choice is the calibration a command predicts with, and where it came
// from.
type Choice struct {
	Source Source
	// Path is the file read, for Cluster and FromFile.
	Path string
	// File is the calibration; zero for Envelope.
	File File
}

// Choose picks the calibration: the file the user named (or the word
// envelope or default); else, on a probedrill cluster (key), the one
// stored for it by `probedrill calibrate`, or else the shipped default; on
// another cluster (key nil) the envelope. A stored file that cannot be
// read is an error naming it, not a silent fallback.
func Choose(file string, key *Key) (Choice, error) {
	switch Source(file) {
	case Envelope:
		return Choice{Source: Envelope}, nil
	case Default:
		return Choice{Source: Default, File: Shipped()}, nil
	}
	if file != "" {
		f, err := Load(file)
		return Choice{Source: FromFile, Path: file, File: f}, err
	}
	if key == nil {
		return Choice{Source: Envelope}, nil
	}
	path, err := key.Path()
	if err != nil {
		return Choice{}, err
	}
	f, err := Load(path)
	switch {
	case err == nil:
		return Choice{Source: Cluster, Path: path, File: f}, nil
	case errors.Is(err, fs.ErrNotExist):
		return Choice{Source: Default, File: Shipped()}, nil
	default:
		return Choice{}, fmt.Errorf("%w (probedrill calibrate measures it again)", err)
	}
}

// Kubelet is base with the chosen latencies.
func (c Choice) Kubelet(base predict.Kubelet) predict.Kubelet {
	if c.Source == Envelope {
		return base.WithDefaults()
	}
	return c.File.Kubelet(base)
}

// sentences are what a Choice says for each source, in one language; the
// cluster's and a file's take the time measured and the path.
type sentences struct{ envelope, shipped, cluster, file string }

var (
	english = sentences{
		envelope: "Latencies: the built-in envelope (not measured on this cluster: wide windows)",
		shipped:  "Latencies: probedrill's default calibration (probedrill calibrate measures this cluster)",
		cluster:  "Latencies: measured on this cluster %s (%s)",
		file:     "Latencies: from %[2]s (measured %[1]s)",
	}
	chinese = sentences{
		envelope: "延迟：内置的最宽范围（未在此集群上测量，时间窗较宽）",
		shipped:  "延迟：probedrill 自带的默认校准（probedrill calibrate 可测量此集群）",
		cluster:  "延迟：%s 在此集群上测得（%s）",
		file:     "延迟：来自 %[2]s（测于 %[1]s）",
	}
)

// say is c's sentence in t's language.
func (c Choice) say(t sentences) string {
	format := t.file
	switch c.Source {
	case Envelope:
		return t.envelope
	case Default:
		return t.shipped
	case Cluster:
		format = t.cluster
	}
	return fmt.Sprintf(format, c.File.MeasuredAt.Format("2006-01-02 15:04"), c.Path)
}

// Chinese says what String says, in the seed chapter's language (predict
// --lang zh).
func (c Choice) Chinese() string { return c.say(chinese) }

// String says in one line where the latencies come from, for a log line
// or a report.
func (c Choice) String() string { return c.say(english) }
