package server

import (
	"fmt"
	"net/http"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/fault"
)

// notWell is the seed app's answer once it fails (Kubernetes in Action's
// kubia-unhealthy says it in English).
const notWell = "I'm not well. Please restart me!\n"

// hello answers any path as the seed app does: "You've hit <hostname>".
func (s *Server) hello(w *recorder, r *http.Request, c fault.Call) {
	if s.block(w, r, c) {
		return
	}
	if c.Verdict == fault.Fail {
		text(w, http.StatusInternalServerError, failBody(c.Cfg))
		return
	}
	text(w, http.StatusOK, "You've hit "+s.host+"\n")
}

func failBody(cfg *config.Config) string {
	if cfg.Fault == config.Flaky {
		return fmt.Sprintf("flaky: this request failed (p=%v)\n", cfg.P)
	}
	return notWell
}
