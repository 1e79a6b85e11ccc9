package server

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/fault"
)

// control is /fault: GET shows the fault, POST switches it, e.g.
// `curl -d fault=fail-after -d after=3 :8080/fault`. It is off unless
// faultyapp runs with -control, and no fault ever blocks it, so a hung or
// deadlocked app can still be switched back.
func (s *Server) control(w *recorder, r *http.Request, c fault.Call) {
	if !c.Cfg.Control {
		text(w, http.StatusForbidden, "runtime control is off; start faultyapp with -control (or FAULTYAPP_CONTROL=true)\n")
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		text(w, http.StatusOK, fmt.Sprintf("%s requests=%d\n", c.Cfg.Summary(), s.eng.Requests()))
	case http.MethodPost:
		s.switchFault(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		text(w, http.StatusMethodNotAllowed, "use GET to see the fault, POST fault=NAME to change it\n")
	}
}

func (s *Server) switchFault(w *recorder, r *http.Request) {
	cfg, err := s.proposed(r)
	if err != nil {
		w.note = "refused"
		text(w, http.StatusBadRequest, err.Error()+"\n")
		return
	}
	if err := s.eng.Switch(cfg); err != nil {
		text(w, http.StatusInternalServerError, err.Error()+"\n")
		return
	}
	w.note = "switched to " + string(cfg.Fault)
	text(w, http.StatusOK, cfg.Summary()+"\n")
}

// proposed is the current settings changed by the form (query or body).
func (s *Server) proposed(r *http.Request) (config.Config, error) {
	if err := r.ParseForm(); err != nil {
		return config.Config{}, err
	}
	if r.Form.Get("fault") == "" {
		return config.Config{}, fmt.Errorf("say which fault: fault=NAME, one of: %s", faultNames())
	}
	cfg := s.eng.Config()
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(r.Form)) {
		if err := cfg.SetLive(k, r.Form.Get(k)); err != nil {
			errs = append(errs, err)
		}
	}
	if cfg.Fault == config.SlowStart {
		errs = append(errs, errors.New("slow-start acts before listening; restart with -fault slow-start -startup 30s"))
	}
	if len(errs) == 0 {
		errs = append(errs, cfg.Validate())
	}
	return cfg, errors.Join(errs...)
}

func faultNames() string {
	var names []string
	for _, f := range config.Faults() {
		names = append(names, string(f))
	}
	return strings.Join(names, ", ")
}
