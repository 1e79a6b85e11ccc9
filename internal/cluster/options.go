package cluster

import (
	"fmt"
	"strings"
	"time"

	"sigs.k8s.io/kind/pkg/errors"
)

// The cluster probedrill runs: one name, one node image, one Kubernetes version.
const (
	Name              = "probedrill"
	Context           = "kind-" + Name // the kube context kind writes for it
	KubernetesVersion = "v1.37.2"
	NodeImage         = "probedrill/node:" + KubernetesVersion
	PodSubnet         = "10.244.0.0/16" // the node image's route service assumes it
)

// Profile is the shape of the cluster.
type Profile string

const (
	// Single is one control-plane node that also runs the drills' pods.
	Single Profile = "single"
	// Multi is a control plane and two workers, with fast node-failure
	// detection, for drills where a node goes away.
	Multi Profile = "multi"
)

// Profiles lists the valid profiles, default first.
var Profiles = []Profile{Single, Multi}

// Kubernetes defaults that a probedrill cluster may change. The predictor
// reads the effective values from Settings, never these.
const (
	// pkg/kubelet/kubelet.go (v1.37.2): MaxContainerBackOff = 300 * time.Second.
	DefaultMaxContainerRestartPeriod = 300 * time.Second
	// pkg/controller/nodelifecycle/config/v1alpha1/defaults.go (v1.37.2).
	DefaultNodeMonitorGracePeriod = 50 * time.Second
	// plugin/pkg/admission/defaulttolerationseconds/admission.go (v1.37.2).
	DefaultTolerationSeconds = 300

	// Fast node-failure detection (measured on this setup: NotReady at +25 s,
	// eviction at +35 s instead of +55 s and +354 s).
	FastNodeMonitorGracePeriod = 20 * time.Second
	FastTolerationSeconds      = 10

	// The range the kubelet accepts for crashLoopBackOff.maxContainerRestartPeriod
	// (pkg/kubelet/apis/config/validation/validation.go, v1.37.2).
	MinMaxContainerRestartPeriod = time.Second
	MaxMaxContainerRestartPeriod = 300 * time.Second
)

// Timeouts for the steps of Up.
const (
	DefaultReadyTimeout   = 3 * time.Minute
	DefaultRestartTimeout = 2 * time.Minute
)

// config is what Up is asked for. Fields set explicitly by an option are
// remembered, so that reusing a cluster can refuse when they disagree with
// what the cluster was created with, and otherwise take whatever exists.
type config struct {
	profile          Profile
	maxRestartPeriod time.Duration // 0: the kubelet's default
	fastNodeFailure  *bool         // nil: the profile's default
	recreate         bool
	retain           bool
	images           []string
	readyTimeout     time.Duration
	nodeImage        string
	explicit         map[string]bool
}

// Option configures Up.
type Option func(*config)

// WithProfile selects the cluster's shape (default Single).
func WithProfile(p Profile) Option {
	return func(c *config) { c.profile = p; c.explicit["profile"] = true }
}

// WithMaxRestartPeriod caps the kubelet's crash-loop back-off
// (KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod, feature
// KubeletCrashLoopBackOffMax, beta and on in v1.37). Zero keeps the default 300 s.
func WithMaxRestartPeriod(d time.Duration) Option {
	return func(c *config) { c.maxRestartPeriod = d; c.explicit["maxRestartPeriod"] = true }
}

// WithFastNodeFailure turns fast node-failure detection on or off (default:
// on for Multi, off for Single).
func WithFastNodeFailure(on bool) Option {
	return func(c *config) { c.fastNodeFailure = &on; c.explicit["fastNodeFailure"] = true }
}

// WithRecreate deletes an existing cluster first.
func WithRecreate(recreate bool) Option {
	return func(c *config) { c.recreate = recreate }
}

// WithRetain keeps a cluster whose creation failed, for debugging.
func WithRetain(retain bool) Option {
	return func(c *config) { c.retain = retain }
}

// WithImages loads these host docker images into every node that lacks them.
func WithImages(images ...string) Option {
	return func(c *config) { c.images = append(c.images, images...) }
}

// WithReadyTimeout bounds the wait for Ready nodes and DNS (default 3 min).
func WithReadyTimeout(d time.Duration) Option {
	return func(c *config) { c.readyTimeout = d }
}

// WithNodeImage overrides the node image (tests and image development only).
func WithNodeImage(image string) Option {
	return func(c *config) { c.nodeImage = image }
}

func newConfig(opts ...Option) *config {
	c := &config{
		profile:      Single,
		readyTimeout: DefaultReadyTimeout,
		nodeImage:    NodeImage,
		explicit:     map[string]bool{},
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Validate reports every problem at once.
func (c *config) Validate() error {
	var errs []error
	if ParseProfile(string(c.profile)) == "" {
		errs = append(errs, fmt.Errorf("unknown profile %q: use one of %s", c.profile, profileList()))
	}
	if d := c.maxRestartPeriod; d != 0 && (d < MinMaxContainerRestartPeriod || d > MaxMaxContainerRestartPeriod) {
		errs = append(errs, fmt.Errorf("max restart period %v is out of range: the kubelet accepts %v to %v",
			d, MinMaxContainerRestartPeriod, MaxMaxContainerRestartPeriod))
	}
	if c.readyTimeout <= 0 {
		errs = append(errs, fmt.Errorf("ready timeout must be positive, got %v", c.readyTimeout))
	}
	return errors.NewAggregate(errs)
}

// ParseProfile returns the profile named s, or "" if there is none.
func ParseProfile(s string) Profile {
	for _, p := range Profiles {
		if string(p) == s {
			return p
		}
	}
	return ""
}

func profileList() string {
	names := make([]string, len(Profiles))
	for i, p := range Profiles {
		names[i] = string(p)
	}
	return strings.Join(names, ", ")
}

// settings is what a cluster created from c will run with.
func (c *config) settings() Settings {
	s := Settings{
		Profile:                      c.profile,
		KubernetesVersion:            KubernetesVersion,
		NodeImage:                    c.nodeImage,
		Nodes:                        1,
		MaxContainerRestartPeriod:    DefaultMaxContainerRestartPeriod,
		NodeMonitorGracePeriod:       DefaultNodeMonitorGracePeriod,
		NotReadyTolerationSeconds:    DefaultTolerationSeconds,
		UnreachableTolerationSeconds: DefaultTolerationSeconds,
	}
	if c.profile == Multi {
		s.Nodes = 3
	}
	if c.maxRestartPeriod != 0 {
		s.MaxContainerRestartPeriod = c.maxRestartPeriod
	}
	fast := c.profile == Multi
	if c.fastNodeFailure != nil {
		fast = *c.fastNodeFailure
	}
	if fast {
		s.FastNodeFailure = true
		s.NodeMonitorGracePeriod = FastNodeMonitorGracePeriod
		s.NotReadyTolerationSeconds = FastTolerationSeconds
		s.UnreachableTolerationSeconds = FastTolerationSeconds
	}
	return s
}
