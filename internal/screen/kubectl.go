package screen

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/duration"
)

// describeProbe is the probe line of `kubectl describe pod` ("Liveness:
// http-get http://:8080/ delay=0s timeout=1s period=10s ..."), as
// k8s.io/kubectl v0.37.2 pkg/describe/describe.go DescribeProbe prints it.
// (The seed's kubectl was older and printed "#success=1 #failure=3".)
func describeProbe(p *corev1.Probe) string {
	attrs := fmt.Sprintf("delay=%ds timeout=%ds period=%ds successThreshold=%d failureThreshold=%d",
		p.InitialDelaySeconds, p.TimeoutSeconds, p.PeriodSeconds, p.SuccessThreshold, p.FailureThreshold)
	switch {
	case p.Exec != nil:
		return fmt.Sprintf("exec %v %s", p.Exec.Command, attrs)
	case p.HTTPGet != nil:
		u := &url.URL{Scheme: strings.ToLower(string(p.HTTPGet.Scheme)), Path: p.HTTPGet.Path}
		u.Host = p.HTTPGet.Host
		if port := p.HTTPGet.Port.String(); port != "" {
			u.Host = net.JoinHostPort(p.HTTPGet.Host, port)
		}
		return fmt.Sprintf("http-get %s %s", u, attrs)
	case p.TCPSocket != nil:
		return fmt.Sprintf("tcp-socket %s:%s %s", p.TCPSocket.Host, p.TCPSocket.Port.String(), attrs)
	case p.GRPC != nil:
		service := ""
		if p.GRPC.Service != nil {
			service = *p.GRPC.Service
		}
		return fmt.Sprintf("grpc <pod>:%d %s %s", p.GRPC.Port, service, attrs)
	}
	return "unknown " + attrs
}

// getPod is the pod's row of `kubectl get pod` (NAME READY STATUS RESTARTS
// AGE) at now, following kubectl's printPod (k8s.io/kubernetes
// pkg/printers/internalversion/printers.go, v1.37) for pods without init
// containers, which is every drill's: RESTARTS reads "3 (5s ago)", STATUS is
// the waiting or terminated reason of a container that is not running.
func getPod(p *corev1.Pod, now time.Time) []string {
	reason := string(p.Status.Phase)
	if p.Status.Reason != "" {
		reason = p.Status.Reason
	}
	restarts, ready := 0, 0
	var lastRestart time.Time
	for i := len(p.Status.ContainerStatuses) - 1; i >= 0; i-- {
		c := p.Status.ContainerStatuses[i]
		restarts += int(c.RestartCount)
		if t := c.LastTerminationState.Terminated; t != nil && t.FinishedAt.After(lastRestart) {
			lastRestart = t.FinishedAt.Time
		}
		switch {
		case c.State.Waiting != nil && c.State.Waiting.Reason != "":
			reason = c.State.Waiting.Reason
		case c.State.Terminated != nil && c.State.Terminated.Reason != "":
			reason = c.State.Terminated.Reason
		case c.State.Terminated != nil:
			reason = fmt.Sprintf("ExitCode:%d", c.State.Terminated.ExitCode)
		case c.Ready && c.State.Running != nil:
			ready++
		}
	}
	if p.DeletionTimestamp != nil && p.Status.Phase != corev1.PodSucceeded && p.Status.Phase != corev1.PodFailed {
		reason = "Terminating"
	}
	restartsCell := strconv.Itoa(restarts)
	if restarts != 0 && !lastRestart.IsZero() {
		restartsCell = fmt.Sprintf("%d (%s ago)", restarts, since(lastRestart, now))
	}
	readyCell := fmt.Sprintf("%d/%d", ready, len(p.Spec.Containers))
	return []string{p.Name, readyCell, reason, restartsCell, since(p.CreationTimestamp.Time, now)}
}

// getPodHeader is `kubectl get pod`'s header row.
func getPodHeader() []string { return []string{"NAME", "READY", "STATUS", "RESTARTS", "AGE"} }

// since is kubectl's translateTimestampSince.
func since(t, now time.Time) string {
	if t.IsZero() {
		return "<unknown>"
	}
	return duration.HumanDuration(now.Sub(t))
}
