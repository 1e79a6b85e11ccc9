package screen

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrap(t *testing.T) {
	cases := []struct {
		in    string
		width int
		want  string
	}{
		{"the kubelet kills the container", 12, "the kubelet\nkills the\ncontainer"},
		{"存活探针连续第三次失败", 10, "存活探针连\n续第三次失\n败"},
		{"重启容器。然后", 8, "重启容\n器。然后"},            // 。 never starts a line
		{"Kubelet 终止容器", 10, "Kubelet 终\n止容器"}, // Chinese breaks anywhere
		{"unchanged", 0, "unchanged"},
	}
	for _, c := range cases {
		if got := wrap(c.in, c.width); got != c.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

func TestWrapRespectsWidth(t *testing.T) {
	s := fixtureShow(t, "zh").Scenario.Teach.ZH
	for _, l := range strings.Split(wrap(s, 40), "\n") {
		if w := ansi.StringWidth(l); w > 40 {
			t.Errorf("line %q is %d cells wide", l, w)
		}
	}
}
