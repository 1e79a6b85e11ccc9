package server

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/probedrill/probedrill/faultyapp/internal/fault"
	"github.com/probedrill/probedrill/faultyapp/internal/grpcwire"
)

// grpcHealth serves grpc.health.v1.Health/Check over h2c (HTTP/2 without
// TLS, prior knowledge), which is what a kubelet gRPC probe sends. Any
// service name is accepted. A failing check answers NOT_SERVING with
// grpc-status 0: the kubelet counts that as a probe failure; a missing
// token answers UNAUTHENTICATED.
func (s *Server) grpcHealth(w *recorder, r *http.Request, c fault.Call) {
	if r.URL.Path != grpcwire.CheckPath {
		w.note = "unimplemented"
		grpcStatus(w, grpcwire.CodeUnimplemented, "faultyapp serves only "+grpcwire.CheckPath)
		return
	}
	if r.ProtoMajor != 2 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/grpc") {
		text(w, http.StatusUnsupportedMediaType, "gRPC needs HTTP/2 and content-type application/grpc\n")
		return
	}
	msg, err := grpcwire.ReadMessage(r.Body)
	if err == nil {
		_, err = grpcwire.DecodeCheckRequest(msg)
	}
	if err != nil {
		w.note = "bad request"
		grpcStatus(w, grpcwire.CodeInvalidArgument, err.Error())
		return
	}
	if s.block(w, r, c) {
		return
	}
	s.answerCheck(w, r, c)
}

func (s *Server) answerCheck(w *recorder, r *http.Request, c fault.Call) {
	v := s.check(r, c)
	if v.code == http.StatusUnauthorized {
		w.note = "UNAUTHENTICATED"
		grpcStatus(w, grpcwire.CodeUnauthenticated, "health needs a bearer token")
		return
	}
	status := grpcwire.Serving
	if v.code != http.StatusOK {
		status = grpcwire.NotServing
	}
	w.note = grpcwire.StatusName(status)
	if v.note != "" {
		w.note += " (" + v.note + ")"
	}
	w.Header().Set("Content-Type", "application/grpc")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(grpcwire.AppendMessage(nil, grpcwire.EncodeCheckResponse(status)))
	// Trailers, set after the body: the status of the call.
	w.Header().Set(http.TrailerPrefix+"Grpc-Status", "0")
}

// grpcStatus sends a trailers-only response: one HEADERS frame that carries
// the gRPC status, no message.
func grpcStatus(w http.ResponseWriter, code int, msg string) {
	h := w.Header()
	h.Set("Content-Type", "application/grpc")
	h.Set("Grpc-Status", strconv.Itoa(code))
	h.Set("Grpc-Message", msg)
	w.WriteHeader(http.StatusOK)
}
