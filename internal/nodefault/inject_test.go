package nodefault

import "testing"

func TestCgroupDir(t *testing.T) {
	const v1 = "12:pids:/kubelet.slice/kubelet-kubepods.slice/cri-containerd-ab.scope\n" +
		"4:cpu,cpuacct:/kubelet.slice/kubelet-kubepods.slice/cri-containerd-ab.scope\n" +
		"1:name=systemd:/kubelet.slice/kubelet-kubepods.slice/cri-containerd-ab.scope\n" +
		"0::/kubelet.slice/kubelet-kubepods.slice/cri-containerd-ab.scope\n"
	for _, c := range []struct {
		text, controller, want string
		v2, err                bool
	}{
		{text: v1, controller: "cpu", want: "/sys/fs/cgroup/cpu,cpuacct/kubelet.slice/kubelet-kubepods.slice/cri-containerd-ab.scope"},
		{text: v1, controller: "pids", want: "/sys/fs/cgroup/pids/kubelet.slice/kubelet-kubepods.slice/cri-containerd-ab.scope"},
		{text: v1, controller: "freezer", err: true}, // a v1 host without it: not the unified tree
		{text: "0::/kubepods.slice/cri-containerd-ab.scope\n", controller: "cpu", want: "/sys/fs/cgroup/kubepods.slice/cri-containerd-ab.scope", v2: true},
		{text: "", controller: "cpu", err: true},
	} {
		got, v2, err := cgroupDir(c.text, c.controller)
		if (err != nil) != c.err || got != c.want || v2 != c.v2 {
			t.Errorf("cgroupDir(%q, %s) = %q, %v, %v; want %q, v2 %v, error %v", c.text, c.controller, got, v2, err, c.want, c.v2, c.err)
		}
	}
}

func TestQuotaSqueeze(t *testing.T) {
	for _, c := range []struct {
		text      string
		v2        bool
		percent   int
		want      int64
		wantWords string
	}{
		{text: "-1\n100000", percent: 5, want: 5000, wantWords: "no limit"},
		{text: "max 100000", v2: true, percent: 5, want: 5000, wantWords: "no limit"},
		{text: "20000 100000", v2: true, percent: 5, want: 5000, wantWords: "20000µs per 100000µs (20% of a core)"},
		{text: "3000\n100000", percent: 5, want: 3000, wantWords: "3000µs per 100000µs (3% of a core)"}, // already lower: stays
		{text: "-1\n10000", percent: 5, want: 1000, wantWords: "no limit"},                              // the kernel's 1 ms floor
	} {
		q, err := parseQuota(c.text, c.v2)
		if err != nil {
			t.Fatalf("parseQuota(%q): %v", c.text, err)
		}
		if got := q.squeeze(c.percent); got.quota != c.want || got.period != q.period || q.String() != c.wantWords {
			t.Errorf("%q squeezed to %d%%: quota %d (want %d), was %q (want %q)", c.text, c.percent, got.quota, c.want, q, c.wantWords)
		}
	}
	for _, bad := range []string{"", "max", "5000 0", "x 100000"} {
		if _, err := parseQuota(bad, true); err == nil {
			t.Errorf("parseQuota(%q) = nil error, want one", bad)
		}
	}
}
