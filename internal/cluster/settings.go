package cluster

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/kind/pkg/errors"
)

// The ConfigMap in which a probedrill cluster records how it was made, so that
// the predictor (and a curious student: kubectl -n kube-system get cm
// probedrill-cluster -o yaml) can read the settings it runs with.
const (
	SettingsNamespace = "kube-system"
	SettingsConfigMap = "probedrill-cluster"
)

// Settings are the effective values a probedrill cluster runs with: Kubernetes
// defaults included, so a reader never needs to know them.
type Settings struct {
	Profile           Profile
	KubernetesVersion string
	NodeImage         string
	Nodes             int
	// MaxContainerRestartPeriod caps the crash-loop back-off on every node
	// (KubeletConfiguration crashLoopBackOff.maxContainerRestartPeriod).
	MaxContainerRestartPeriod time.Duration
	// FastNodeFailure is true when the three values below were shortened.
	FastNodeFailure bool
	// NodeMonitorGracePeriod: kube-controller-manager --node-monitor-grace-period.
	NodeMonitorGracePeriod time.Duration
	// kube-apiserver --default-not-ready-toleration-seconds and
	// --default-unreachable-toleration-seconds: how long pods stay on a
	// NotReady / unreachable node before eviction.
	NotReadyTolerationSeconds    int64
	UnreachableTolerationSeconds int64
}

// ConfigMap keys, one per field, so the ConfigMap reads well with kubectl.
const (
	keyProfile          = "profile"
	keyVersion          = "kubernetesVersion"
	keyNodeImage        = "nodeImage"
	keyNodes            = "nodes"
	keyMaxRestart       = "maxContainerRestartPeriod"
	keyFastNodeFailure  = "fastNodeFailure"
	keyNodeMonitorGrace = "nodeMonitorGracePeriod"
	keyNotReadyTol      = "defaultNotReadyTolerationSeconds"
	keyUnreachableTol   = "defaultUnreachableTolerationSeconds"
)

// Data renders s as ConfigMap data.
func (s Settings) Data() map[string]string {
	return map[string]string{
		keyProfile:          string(s.Profile),
		keyVersion:          s.KubernetesVersion,
		keyNodeImage:        s.NodeImage,
		keyNodes:            strconv.Itoa(s.Nodes),
		keyMaxRestart:       FormatDuration(s.MaxContainerRestartPeriod),
		keyFastNodeFailure:  strconv.FormatBool(s.FastNodeFailure),
		keyNodeMonitorGrace: FormatDuration(s.NodeMonitorGracePeriod),
		keyNotReadyTol:      strconv.FormatInt(s.NotReadyTolerationSeconds, 10),
		keyUnreachableTol:   strconv.FormatInt(s.UnreachableTolerationSeconds, 10),
	}
}

// ParseSettings reads ConfigMap data written by Data. Every key is required
// and unknown keys are errors; all problems are reported at once.
func ParseSettings(data map[string]string) (Settings, error) {
	p := &parser{data: data, seen: map[string]bool{}}
	s := Settings{
		Profile:                      Profile(p.str(keyProfile)),
		KubernetesVersion:            p.str(keyVersion),
		NodeImage:                    p.str(keyNodeImage),
		Nodes:                        int(p.int(keyNodes)),
		MaxContainerRestartPeriod:    p.duration(keyMaxRestart),
		FastNodeFailure:              p.bool(keyFastNodeFailure),
		NodeMonitorGracePeriod:       p.duration(keyNodeMonitorGrace),
		NotReadyTolerationSeconds:    p.int(keyNotReadyTol),
		UnreachableTolerationSeconds: p.int(keyUnreachableTol),
	}
	if s.Profile != "" && ParseProfile(string(s.Profile)) == "" {
		p.errs = append(p.errs, fmt.Errorf("%s: unknown profile %q", keyProfile, s.Profile))
	}
	p.unknownKeys()
	return s, errors.NewAggregate(p.errs)
}

type parser struct {
	data map[string]string
	seen map[string]bool
	errs []error
}

func (p *parser) str(key string) string {
	p.seen[key] = true
	v, ok := p.data[key]
	if !ok {
		p.errs = append(p.errs, fmt.Errorf("%s: missing", key))
	}
	return v
}

func (p *parser) int(key string) int64 {
	v := p.str(key)
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil && v != "" {
		p.errs = append(p.errs, fmt.Errorf("%s: %q is not a whole number", key, v))
	}
	return n
}

func (p *parser) bool(key string) bool {
	v := p.str(key)
	b, err := strconv.ParseBool(v)
	if err != nil && v != "" {
		p.errs = append(p.errs, fmt.Errorf("%s: %q is not true or false", key, v))
	}
	return b
}

func (p *parser) duration(key string) time.Duration {
	v := p.str(key)
	d, err := time.ParseDuration(v)
	if err != nil && v != "" {
		p.errs = append(p.errs, fmt.Errorf("%s: %q is not a duration", key, v))
	}
	return d
}

func (p *parser) unknownKeys() {
	var unknown []string
	for k := range p.data {
		if !p.seen[k] {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		p.errs = append(p.errs, fmt.Errorf("%s: unknown key", k))
	}
}

// ReadSettings returns the settings recorded in the cluster that cs talks to.
func ReadSettings(ctx context.Context, cs kubernetes.Interface) (Settings, error) {
	cm, err := cs.CoreV1().ConfigMaps(SettingsNamespace).Get(ctx, SettingsConfigMap, metav1.GetOptions{})
	if err != nil {
		return Settings{}, fmt.Errorf("reading the cluster's settings (ConfigMap %s/%s): %w; is this a cluster made by `probedrill up`?",
			SettingsNamespace, SettingsConfigMap, err)
	}
	s, err := ParseSettings(cm.Data)
	if err != nil {
		return Settings{}, fmt.Errorf("ConfigMap %s/%s: %w", SettingsNamespace, SettingsConfigMap, err)
	}
	return s, nil
}

// WriteSettings records s in the cluster, creating or replacing the ConfigMap.
func WriteSettings(ctx context.Context, cs kubernetes.Interface, s Settings) error {
	cm := &corev1.ConfigMap{
		ObjectMeta: metav1.ObjectMeta{
			Name:      SettingsConfigMap,
			Namespace: SettingsNamespace,
			Labels:    map[string]string{"app.kubernetes.io/managed-by": "probedrill"},
		},
		Data: s.Data(),
	}
	cms := cs.CoreV1().ConfigMaps(SettingsNamespace)
	_, err := cms.Create(ctx, cm, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		_, err = cms.Update(ctx, cm, metav1.UpdateOptions{})
	}
	if err != nil {
		return fmt.Errorf("recording the cluster's settings in ConfigMap %s/%s: %w", SettingsNamespace, SettingsConfigMap, err)
	}
	return nil
}

// conflicts lists what the caller asked for explicitly that the existing
// cluster (recorded as have) was not created with, and the `up` flags that
// ask for it.
func (c *config) conflicts(have Settings) (diffs, flags []string) {
	want := c.settings()
	add := func(what string, haveV, wantV any, flag string) {
		diffs = append(diffs, fmt.Sprintf("%s is %v, asked for %v", what, haveV, wantV))
		flags = append(flags, flag)
	}
	if c.explicit["profile"] && have.Profile != want.Profile {
		add("profile", have.Profile, want.Profile, "--profile "+string(want.Profile))
	}
	if c.explicit["maxRestartPeriod"] && have.MaxContainerRestartPeriod != want.MaxContainerRestartPeriod {
		d := FormatDuration(want.MaxContainerRestartPeriod)
		add("max restart period", FormatDuration(have.MaxContainerRestartPeriod), d, "--max-restart-period "+d)
	}
	if c.explicit["fastNodeFailure"] && have.FastNodeFailure != want.FastNodeFailure {
		add("fast node failure", have.FastNodeFailure, want.FastNodeFailure, fmt.Sprintf("--fast-node-failure=%t", want.FastNodeFailure))
	}
	if have.NodeImage != want.NodeImage {
		add("node image", have.NodeImage, want.NodeImage, "--node-image "+want.NodeImage)
	}
	return diffs, flags
}

// FormatDuration writes whole seconds as "300s" (not "5m0s"), the way
// Kubernetes documents these settings; anything finer as Go does.
func FormatDuration(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10) + "s"
	}
	return d.String()
}
