package scenarios

import (
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// PortName is the name the renderer gives faultyapp's port, so a probe may
// say `port: http`.
const PortName = "http"

// FaultyappBinary is where the image keeps faultyapp; exec probes call it
// because the image has no shell.
const FaultyappBinary = "/faultyapp"

// validateProbe checks one probe: the API server's rules
// (pkg/apis/core/validation/validation.go, validateProbe and friends) and
// that it can reach faultyapp at all.
func (s *Scenario) validateProbe(ps *Problems, np namedProbe) {
	f, p := "pod."+np.field, np.probe
	s.validateHandler(ps, f, p)
	ps.Check(p.InitialDelaySeconds >= 0, f+".initialDelaySeconds", "use 0 or more", "%d is negative", p.InitialDelaySeconds)
	for _, n := range []struct {
		name string
		v    int32
	}{{"timeoutSeconds", p.TimeoutSeconds}, {"periodSeconds", p.PeriodSeconds},
		{"successThreshold", p.SuccessThreshold}, {"failureThreshold", p.FailureThreshold}} {
		ps.Check(n.v >= 1, f+"."+n.name, "use 1 or more, or leave it out for the default", "%d is less than 1", n.v)
	}
	if np.kind != "Readiness" {
		ps.Check(p.SuccessThreshold == 1, f+".successThreshold", "leave it out: the API server accepts only 1 here",
			"%d for a %s probe", p.SuccessThreshold, strings.ToLower(np.kind))
	}
	if g := p.TerminationGracePeriodSeconds; g != nil {
		ps.Check(np.kind != "Readiness", f+".terminationGracePeriodSeconds",
			"remove it: only liveness and startup probes kill", "set on a readiness probe")
		ps.Check(*g > 0, f+".terminationGracePeriodSeconds", "use 1 or more seconds", "%d is not positive", *g)
	}
}

// HandlerNames lists the handlers a probe sets, in the API's order.
func HandlerNames(p *corev1.Probe) []string {
	var names []string
	for _, h := range []struct {
		name string
		set  bool
	}{{"exec", p.Exec != nil}, {"httpGet", p.HTTPGet != nil}, {"tcpSocket", p.TCPSocket != nil}, {"grpc", p.GRPC != nil}} {
		if h.set {
			names = append(names, h.name)
		}
	}
	return names
}

func (s *Scenario) validateHandler(ps *Problems, f string, p *corev1.Probe) {
	switch names := HandlerNames(p); len(names) {
	case 0:
		ps.Add(f, "set one of httpGet, tcpSocket, exec, grpc", "no handler")
		return
	case 1:
	default:
		ps.Add(f, "keep one", "more than one handler (%s)", strings.Join(names, ", "))
		return
	}
	switch {
	case p.HTTPGet != nil:
		s.validateHTTPGet(ps, f+".httpGet", p.HTTPGet)
	case p.TCPSocket != nil:
		s.validatePort(ps, f+".tcpSocket.port", p.TCPSocket.Port)
		ps.Check(p.TCPSocket.Host == "", f+".tcpSocket.host", "remove it: the probe must reach the pod", "set to %q", p.TCPSocket.Host)
	case p.GRPC != nil:
		s.validatePort(ps, f+".grpc.port", intstr.FromInt32(p.GRPC.Port))
		ps.Check(s.App.Fault == FaultGRPC, f+".grpc", "set app.fault: grpc",
			"only fault grpc turns faultyapp's gRPC health NOT_SERVING, not %s", s.App.Fault)
	case p.Exec != nil:
		s.validateExec(ps, f+".exec.command", p.Exec.Command)
	}
}

func (s *Scenario) validateHTTPGet(ps *Problems, f string, h *corev1.HTTPGetAction) {
	s.validatePort(ps, f+".port", h.Port)
	ps.Check(h.Host == "", f+".host", "remove it: the probe must reach the pod", "set to %q", h.Host)
	ps.Check(h.Scheme == corev1.URISchemeHTTP, f+".scheme", "use HTTP: faultyapp serves no TLS", "%q", h.Scheme)
	ps.Check(strings.HasPrefix(h.Path, "/"), f+".path", "start it with /, e.g. / or /healthz", "%q", h.Path)
}

// validatePort: faultyapp listens on app.port only (HTTP and gRPC share it).
func (s *Scenario) validatePort(ps *Problems, f string, port intstr.IntOrString) {
	ok := (port.Type == intstr.Int && port.IntVal == s.App.Port) ||
		(port.Type == intstr.String && port.StrVal == PortName)
	ps.Check(ok, f, fmt.Sprintf("use %d or the port name %s", s.App.Port, PortName),
		"%s is not served by the app (app.port is %d)", port.String(), s.App.Port)
}

// validateExec: the image has no shell, so the only exec probe that works
// is faultyapp's own check subcommand on the file exec-file manages.
func (s *Scenario) validateExec(ps *Problems, f string, cmd []string) {
	want := s.App.HealthFile
	if want == "" {
		want = DefaultHealthFile
	}
	fix := fmt.Sprintf(`use command: [%q, "check", "-file", %q] (the image has no shell)`, FaultyappBinary, want)
	ps.Check(s.App.Fault == FaultExecFile, f, "set app.fault: exec-file",
		"only fault exec-file creates the health file that faultyapp check looks for")
	ok := slices.Equal(cmd, []string{FaultyappBinary, "check", "-file", want}) ||
		slices.Equal(cmd, []string{FaultyappBinary, "check", "-file=" + want})
	ps.Check(ok, f, fix, "%q does not run faultyapp check on %s", cmd, want)
}
