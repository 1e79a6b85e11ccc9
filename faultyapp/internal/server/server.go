// Package server holds faultyapp's HTTP handlers, one per file: / (any
// path), /healthz, gRPC health and /fault. Every request is counted and
// logged here; what it gets is decided by the fault engine.
package server

import (
	"net/http"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/fault"
	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
)

// Server answers requests as the engine's current fault says.
type Server struct {
	eng  *fault.Engine
	log  *reqlog.Logger
	host string
	deps *http.Client // for the dependency fault
}

// New returns a Server; host is what "You've hit <host>" names.
func New(eng *fault.Engine, log *reqlog.Logger, host string) *Server {
	return &Server{eng: eng, log: log, host: host, deps: &http.Client{}}
}

// handler is a route's handler: it gets the counted call and a recorder to
// note what it did.
type handler func(w *recorder, r *http.Request, c fault.Call)

// Handler routes every path; nothing answers 404, as in the seed app.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/healthz", s.counted(fault.Health, s.healthz))
	mux.Handle("/grpc.health.v1.Health/", s.counted(fault.GRPC, s.grpcHealth))
	mux.Handle("/fault", s.counted(fault.Control, s.control))
	mux.Handle("/", s.counted(fault.App, s.hello))
	return mux
}

// counted counts the request, runs h and logs one line, unless h already did.
func (s *Server) counted(k fault.Kind, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := s.eng.Request(k)
		rec := &recorder{ResponseWriter: w}
		h(rec, r, c)
		if !rec.logged {
			s.logLine(rec, r, c)
		}
	})
}

func (s *Server) logLine(rec *recorder, r *http.Request, c fault.Call) {
	s.log.Request(reqlog.Request{
		N: c.N, Method: r.Method, Path: r.URL.Path, Status: rec.status,
		Note: rec.note, Remote: r.RemoteAddr, Agent: r.UserAgent(),
	})
}

// block handles the verdicts that never answer and reports whether it did.
// It logs at once: the request may never end, and the log must show it.
func (s *Server) block(w *recorder, r *http.Request, c fault.Call) bool {
	switch c.Verdict {
	case fault.Hang:
		w.note = "hangs, no answer"
		s.logLine(w, r, c)
		start := time.Now()
		<-r.Context().Done() // the client (the probe's timeout) gives up first
		w.note = "client gone after " + time.Since(start).Round(time.Millisecond).String() + ", no answer sent"
	case fault.Deadlock:
		w.note = "blocked in the deadlock, no answer"
		s.logLine(w, r, c)
		w.logged = true
		s.eng.Deadlock() // never returns
	case fault.Crash:
		w.note = "crash, no answer"
		s.logLine(w, r, c)
		w.logged = true
		<-r.Context().Done() // the process is exiting
	default:
		return false
	}
	return true
}

// recorder remembers the status and a note for the log line.
type recorder struct {
	http.ResponseWriter
	status int
	note   string
	logged bool
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// text answers a plain-text body.
func text(w http.ResponseWriter, code int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}
