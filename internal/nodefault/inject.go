package nodefault

import (
	"errors"
	"fmt"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Injected is a fault acting on a container from its node, and how to
// take it back (docs/real-app-faults.md). Undo runs once: a second call
// returns the first call's error.
type Injected struct {
	// Did says what was done, Undoes what Undo does, for the report.
	Did, Undoes string
	// Started is when the command that injects the fault started, At
	// when it returned: the fault took hold in between. On a busy node
	// that can be seconds (docker exec, iptables waiting for the xtables
	// lock kube-proxy holds); finding the container before does not count.
	Started, At time.Time
	once        sync.Once
	undo        func() error
	err         error
}

// Undo takes the fault back. Taking back what a restarted container or a
// deleted pod no longer holds (a process gone, a cgroup gone, a sandbox
// gone) is not an error: the fault went with it.
func (i *Injected) Undo() error {
	i.once.Do(func() { i.err = i.undo() })
	return i.err
}

// Freeze stops every process of the container with SIGSTOP, as a GC stall
// or a deadlock looks: new processes (exec probes) can still start. Not the
// cgroup freezer: under it runc refuses to exec, an exec probe errors and
// the kubelet throws the result away (docs/real-app-faults.md, "freeze").
// The processes are those of the container's cgroup when it is called.
func (x *Injector) Freeze(ref Ref) (*Injected, error) {
	c, err := x.running(ref)
	if err != nil {
		return nil, err
	}
	dir, _, err := c.cgroup("pids")
	if err != nil {
		return nil, err
	}
	out, err := c.output("cat", dir+"/cgroup.procs")
	if err != nil {
		return nil, fmt.Errorf("listing the processes of container %s: %w", c.id, err)
	}
	pids := strings.Fields(out)
	if len(pids) == 0 {
		return nil, fmt.Errorf("container %s on node %s has no process in %s", c.id, ref.Node, dir)
	}
	in := &Injected{
		Did:    fmt.Sprintf("SIGSTOP to the container's %d processes (PIDs %s) on node %s", len(pids), strings.Join(pids, " "), ref.Node),
		Undoes: fmt.Sprintf("SIGCONT to PIDs %s", strings.Join(pids, " ")),
		undo:   func() error { return c.signalAll("CONT", pids) },
	}
	in.Started = time.Now()
	if err := c.signalAll("STOP", pids); err != nil {
		return nil, errors.Join(err, in.Undo())
	}
	in.At = time.Now()
	return in, nil
}

// signalAll sends sig to each PID that still exists: a process that ended
// (the container was restarted) needs nothing.
func (c runningContainer) signalAll(sig string, pids []string) error {
	const script = `sig=$1; shift; for p do kill -s "$sig" "$p" 2>/dev/null || ! [ -e "/proc/$p" ] || { echo "kill -s $sig $p failed"; exit 1; }; done`
	if _, err := c.output("sh", append([]string{"-c", script, "sh", sig}, pids...)...); err != nil {
		return fmt.Errorf("SIG%s to the processes of container %s on node %s: %w", sig, c.id, c.ref.Node, err)
	}
	return nil
}

// SqueezeCPU lowers the container's CPU quota to percent of one core (a
// quota already lower stays): slow but alive. Exec'd probe commands join
// the container's cgroup and are throttled too (docs/real-app-faults.md,
// "cpu-starve"). Undo writes back the value read before.
func (x *Injector) SqueezeCPU(ref Ref, percent int) (*Injected, error) {
	if percent < 1 || percent > 100 {
		return nil, fmt.Errorf("CPU quota of %d%%: use 1 to 100", percent)
	}
	c, err := x.running(ref)
	if err != nil {
		return nil, err
	}
	dir, v2, err := c.cgroup("cpu")
	if err != nil {
		return nil, err
	}
	q, err := c.readQuota(dir, v2)
	if err != nil {
		return nil, err
	}
	squeezed := q.squeeze(percent)
	did := fmt.Sprintf("CPU quota of container %s on node %s: %s → %s", c.id[:min(12, len(c.id))], ref.Node, q, squeezed)
	if squeezed == q {
		did += fmt.Sprintf(" (its limit is already at or below %d%% of a core: nothing squeezed)", percent)
	}
	in := &Injected{
		Did:    did,
		Undoes: "CPU quota back to " + q.String(),
		undo:   func() error { return c.writeQuota(dir, q, true) },
	}
	in.Started = time.Now()
	if err := c.writeQuota(dir, squeezed, false); err != nil {
		return nil, errors.Join(err, in.Undo())
	}
	in.At = time.Now()
	return in, nil
}

// quota is a CFS quota: quota µs of CPU per period µs (-1: no limit).
type quota struct {
	v2            bool
	quota, period int64
}

func (q quota) String() string {
	if q.quota < 0 {
		return "no limit"
	}
	return fmt.Sprintf("%dµs per %dµs (%.0f%% of a core)", q.quota, q.period, 100*float64(q.quota)/float64(q.period))
}

// squeeze is q lowered to percent of a core, never raised.
func (q quota) squeeze(percent int) quota {
	want := max(q.period*int64(percent)/100, 1000) // the kernel's minimum is 1 ms
	if q.quota >= 0 && q.quota <= want {
		return q
	}
	q.quota = want
	return q
}

// cpuFiles are a quota's files: v1 has two, v2 one ("max 100000").
func cpuFiles(dir string, v2 bool) (quotaFile, periodFile string) {
	if v2 {
		return dir + "/cpu.max", ""
	}
	return dir + "/cpu.cfs_quota_us", dir + "/cpu.cfs_period_us"
}

func (c runningContainer) readQuota(dir string, v2 bool) (quota, error) {
	qf, pf := cpuFiles(dir, v2)
	files := []string{qf}
	if !v2 {
		files = append(files, pf)
	}
	out, err := c.output("cat", files...)
	if err != nil {
		return quota{}, fmt.Errorf("reading the CPU quota of container %s: %w", c.id, err)
	}
	q, err := parseQuota(out, v2)
	if err != nil {
		return q, fmt.Errorf("the CPU quota of container %s in %s: %w", c.id, dir, err)
	}
	return q, nil
}

// parseQuota reads "max 100000" or "5000 100000" (v2: cpu.max), or the
// two v1 files' values, one per line.
func parseQuota(s string, v2 bool) (quota, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return quota{}, fmt.Errorf("want a quota and a period, read %q", s)
	}
	q := quota{v2: v2, quota: -1}
	if f[0] != "max" {
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return q, fmt.Errorf("quota %q: %w", f[0], err)
		}
		q.quota = n
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || n <= 0 {
		return q, fmt.Errorf("period %q: not a positive number", f[1])
	}
	q.period = n
	return q, nil
}

// writeQuota writes q's quota (the period stays). gone: a cgroup that no
// longer exists (the container was restarted) is not an error.
func (c runningContainer) writeQuota(dir string, q quota, gone bool) error {
	file, _ := cpuFiles(dir, q.v2)
	val := strconv.FormatInt(q.quota, 10)
	if q.v2 {
		val = "max"
		if q.quota >= 0 {
			val = fmt.Sprintf("%d %d", q.quota, q.period)
		}
	}
	script := `echo "$1" > "$2"`
	if gone {
		script = `[ -e "$2" ] || exit 0; ` + script
	}
	if _, err := c.output("sh", "-c", script, "sh", val, file); err != nil {
		return fmt.Errorf("writing %q to %s on node %s: %w", val, file, c.ref.Node, err)
	}
	return nil
}

// cgroup is the directory of the container's cgroup for controller on a
// cgroup v1 node (or its unified one on v2), read from /proc, not built
// (docs/real-app-faults.md, "Finding the container from the node").
func (c runningContainer) cgroup(controller string) (string, bool, error) {
	out, err := c.output("cat", fmt.Sprintf("/proc/%d/cgroup", c.pid))
	if err != nil {
		return "", false, fmt.Errorf("reading the cgroups of container %s: %w", c.id, err)
	}
	dir, v2, err := cgroupDir(out, controller)
	if err != nil {
		return "", false, fmt.Errorf("container %s: %w", c.id, err)
	}
	return dir, v2, nil
}

// cgroupDir finds controller's directory in a /proc/PID/cgroup text. A v1
// line ("4:cpu,cpuacct:/kubepods/…") wins: a hybrid host also has a
// "0::" line for its unified tree, which holds no controller.
func cgroupDir(procCgroup, controller string) (string, bool, error) {
	unified, v1 := "", false
	for line := range strings.SplitSeq(strings.TrimSpace(procCgroup), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		if f[0] == "0" && f[1] == "" {
			unified = f[2]
			continue
		}
		v1 = true
		for _, name := range strings.Split(f[1], ",") {
			if name == controller {
				return path.Join("/sys/fs/cgroup", f[1], f[2]), false, nil
			}
		}
	}
	if unified != "" && !v1 {
		return path.Join("/sys/fs/cgroup", unified), true, nil
	}
	return "", false, fmt.Errorf("no %s cgroup in %q", controller, procCgroup)
}

// BlockPort drops TCP packets to ports inside the pod's network namespace:
// a probe of one of them times out. The namespace is the sandbox's and
// outlives the container: a rule left there kills the next container too
// (docs/real-app-faults.md, "port-blocked"). Undo deletes each rule.
func (x *Injector) BlockPort(ref Ref, ports []int32) (*Injected, error) {
	if len(ports) == 0 {
		return nil, errors.New("no port to block")
	}
	var rules [][]string
	var names []string
	for _, port := range ports {
		rules = append(rules, []string{"INPUT", "-p", "tcp", "--dport", strconv.Itoa(int(port)), "-j", "DROP"})
		names = append(names, strconv.Itoa(int(port)))
	}
	return x.addRules(ref, rules, fmt.Sprintf("iptables -I INPUT -p tcp --dport %s -j DROP in pod %s's network namespace on node %s",
		strings.Join(names, ","), ref.Pod, ref.Node))
}

// addRules inserts iptables rules in the network namespace of the pod's
// sandbox; Undo deletes those it added.
func (x *Injector) addRules(ref Ref, rules [][]string, did string) (*Injected, error) {
	c, err := x.running(ref)
	if err != nil {
		return nil, err
	}
	sb, err := c.sandbox()
	if err != nil {
		return nil, err
	}
	in := &Injected{Did: did, Undoes: "iptables -D of each rule"}
	var added [][]string
	in.undo = func() error { return sb.iptables("-D", added) }
	in.Started = time.Now()
	for _, r := range rules {
		if err := sb.iptables("-I", [][]string{r}); err != nil {
			return nil, errors.Join(err, in.Undo())
		}
		added = append(added, r)
	}
	in.At = time.Now()
	return in, nil
}

// sandbox is a pod's sandbox (its pause process) on a node.
type sandbox struct {
	c   runningContainer
	pid int
}

// sandbox finds the container's pod sandbox and its PID.
func (c runningContainer) sandbox() (sandbox, error) {
	id, err := c.crictl("pods", "-q", "--state", "ready",
		"--label", "io.kubernetes.pod.namespace="+c.ref.Namespace, "--label", "io.kubernetes.pod.name="+c.ref.Pod)
	if err != nil || id == "" || strings.Contains(id, "\n") {
		return sandbox{}, fmt.Errorf("finding the sandbox of pod %s/%s on node %s (crictl found %q): %v",
			c.ref.Namespace, c.ref.Pod, c.ref.Node, id, err)
	}
	pid, err := c.pidOf("inspectp", id)
	return sandbox{c: c, pid: pid}, err
}

// iptables runs iptables op (-I, -D) for each rule in the sandbox's
// network namespace. -D where the sandbox is gone (the pod was deleted,
// its namespace with it) does nothing: the PID must still be a pause.
func (s sandbox) iptables(op string, rules [][]string) error {
	const script = `[ "$1" = -D ] && [ "$(cat /proc/$2/comm 2>/dev/null)" != pause ] && exit 0; ` +
		`op=$1; pid=$2; shift 2; nsenter -t "$pid" -n iptables -w "$op" "$@"`
	for _, r := range rules {
		args := append([]string{"-c", script, "sh", op, strconv.Itoa(s.pid)}, r...)
		if _, err := s.c.output("sh", args...); err != nil {
			return fmt.Errorf("iptables %s %s in pod %s's network namespace on node %s: %w",
				op, strings.Join(r, " "), s.c.ref.Pod, s.c.ref.Node, err)
		}
	}
	return nil
}

// Egress is a TCP destination from a pod: an IP address and a port, and
// the name it is known by ("redis:6379"), for the report.
type Egress struct {
	IP   string
	Port int32
	Name string
}

// CutEgress drops TCP packets from the pod to each destination, in its
// network namespace's OUTPUT chain: a Service is cut at its ClusterIP,
// which the packets carry until kube-proxy's DNAT on the node
// (docs/real-app-faults.md, "Also seen"). Undo deletes each rule.
func (x *Injector) CutEgress(ref Ref, to []Egress) (*Injected, error) {
	if len(to) == 0 {
		return nil, errors.New("no destination to cut")
	}
	var rules [][]string
	var names []string
	for _, e := range to {
		rules = append(rules, []string{"OUTPUT", "-p", "tcp", "-d", e.IP, "--dport", strconv.Itoa(int(e.Port)), "-j", "DROP"})
		name := fmt.Sprintf("%s:%d", e.IP, e.Port)
		if e.Name != "" && e.Name != name {
			name = fmt.Sprintf("%s (%s)", e.Name, name)
		}
		names = append(names, name)
	}
	return x.addRules(ref, rules, fmt.Sprintf("iptables -I OUTPUT -p tcp -j DROP to %s in pod %s's network namespace on node %s",
		strings.Join(names, ", "), ref.Pod, ref.Node))
}
