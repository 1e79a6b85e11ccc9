// Package nodefault acts on a pod's running container from its node, as
// a fault from outside the app does: a signal to its main process, every
// process stopped, its CPU quota squeezed, packets to or from it dropped in
// the pod's network namespace; and takes each back (docs/real-app-faults.md,
// docs/check.md "Injected faults"). It only runs commands on the node
// (crictl, kill, cat, sh, nsenter, iptables) through a Runner: kind's node
// exec on probedrill's cluster, or a privileged injector pod elsewhere.
package nodefault

// Runner runs a command on a node and returns its trimmed stdout.
type Runner interface {
	NodeOutput(node, name string, args ...string) (string, error)
}

// Injector injects faults through a Runner.
type Injector struct{ run Runner }

// New returns an Injector that runs its commands through r.
func New(r Runner) *Injector { return &Injector{run: r} }
