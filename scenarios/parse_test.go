package scenarios

import (
	"strings"
	"testing"
)

const minimal = `
name: mine
title: mine
teach: {en: why}
labels: [liveness, http]
app: {fault: fail-after}
pod:
  livenessProbe:
    httpGet: {path: /, port: 8080}
    periodSeconds: 2
expect:
  restarts: {min: 1, within: 1m}
`

func TestParse(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             string // substring of the error; "" for success
	}{
		{"minimal", "mine.yaml", minimal, ""},
		{"no file name check", "", minimal, ""},
		{"stdin", "-", minimal, ""},
		{"unknown field", "mine.yaml", minimal + "colour: red\n", "mine.yaml: colour: unknown field; check the spelling and case; known here: app, expect, labels, name, pod, seed, teach, title"},
		{"unknown probe field", "mine.yaml", strings.Replace(minimal, "periodSeconds: 2", "period: 2", 1), "mine.yaml: pod.livenessProbe.period: unknown field"},
		{"mis-cased field", "mine.yaml", strings.Replace(minimal, "periodSeconds: 2", "PeriodSeconds: 2", 1), "mine.yaml: pod.livenessProbe.PeriodSeconds: unknown field"},
		{"unknown field in a list", "mine.yaml", minimal + "  events: [{type: Normal, reason: Killing, mesage: x}]\n", "mine.yaml: expect.events[0].mesage: unknown field"},
		{"inline handler field", "mine.yaml", strings.Replace(minimal, "path: /,", "path: /, hots: x,", 1), "pod.livenessProbe.httpGet.hots: unknown field"},
		{"duplicate field", "mine.yaml", minimal + "title: again\n", `key "title" already set`},
		{"not yaml", "mine.yaml", "name: [", "mine.yaml: error converting YAML to JSON"},
		{"wrong type", "mine.yaml", strings.Replace(minimal, "min: 1", "min: one", 1), "cannot unmarshal string"},
		{"bad duration", "mine.yaml", strings.Replace(minimal, "within: 1m", "within: soon", 1), "invalid duration"},
		{"empty", "mine.yaml", "", "mine.yaml: name"},
		{"too big", "mine.yaml", strings.Repeat("#", MaxFileSize+1), "more than a scenario needs"},
		{"wrong name", "theirs.yaml", minimal, `name: "mine" does not match the file name; set name: theirs`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse(tt.file, []byte(tt.data))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tt.want == "" && s.Pod.LivenessProbe.TimeoutSeconds != 1:
				t.Errorf("Parse did not apply defaults: timeoutSeconds %d", s.Pod.LivenessProbe.TimeoutSeconds)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Parse = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestUnfoldCJK(t *testing.T) {
	tests := []struct{ in, want string }{
		{"一次请求， 所以第 1 到 5 次", "一次请求，所以第 1 到 5 次"},
		{"探针 failureThreshold 为 3", "探针 failureThreshold 为 3"},
		{"没 有参与", "没有参与"},
		{"plain English text", "plain English text"},
		{" 开头 ", " 开头 "},
	}
	for _, tt := range tests {
		if got := unfoldCJK(tt.in); got != tt.want {
			t.Errorf("unfoldCJK(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
