package server

import (
	"net/http"

	"github.com/probedrill/probedrill/faultyapp/internal/fault"
)

// healthz is the HTTP health check, /healthz.
func (s *Server) healthz(w *recorder, r *http.Request, c fault.Call) {
	if s.block(w, r, c) {
		return
	}
	v := s.check(r, c)
	if v.code == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="faultyapp"`)
	}
	w.note = v.note
	text(w, v.code, v.body)
}
