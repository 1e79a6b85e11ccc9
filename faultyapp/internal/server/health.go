package server

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/fault"
)

// verdict is a health check's outcome, shared by /healthz and gRPC health.
type verdict struct {
	code int    // HTTP status: 200, 401, 500, 503
	body string // what /healthz answers
	note string // for the log line
}

// check runs the health check of one call: the request faults first, then
// draining, then the health-only faults (the seed's anti-patterns).
func (s *Server) check(r *http.Request, c fault.Call) verdict {
	cfg := c.Cfg
	switch {
	case c.Verdict == fault.Fail:
		return verdict{http.StatusInternalServerError, failBody(cfg), ""}
	case s.eng.Draining():
		return verdict{http.StatusServiceUnavailable, "shutting down\n", "draining"}
	}
	switch cfg.Fault {
	case config.HeavyHealth:
		wall := fault.Burn(cfg.Cost)
		note := fmt.Sprintf("burned %v CPU in %v", cfg.Cost, wall.Round(time.Millisecond))
		return verdict{http.StatusOK, "ok\n", note}
	case config.Dependency:
		if err := s.reach(r.Context(), cfg); err != nil {
			return verdict{http.StatusServiceUnavailable, "dependency down: " + err.Error() + "\n", "dependency down"}
		}
	case config.AuthHealth:
		if r.Header.Get("Authorization") != "Bearer "+cfg.Token {
			return verdict{http.StatusUnauthorized, "unauthorized: /healthz needs a bearer token\n", "no token"}
		}
	}
	return verdict{http.StatusOK, "ok\n", ""}
}

// reach GETs the dependency with a short timeout: the anti-pattern of a
// liveness check that depends on another service.
func (s *Server) reach(ctx context.Context, cfg *config.Config) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.DependencyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.Dependency, nil)
	if err != nil {
		return err
	}
	resp, err := s.deps.Do(req)
	if ctx.Err() != nil {
		return fmt.Errorf("%s did not answer within %v", cfg.Dependency, cfg.DependencyTimeout)
	}
	if err != nil {
		return fmt.Errorf("%s unreachable", cfg.Dependency)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return fmt.Errorf("%s answered %d", cfg.Dependency, resp.StatusCode)
	}
	return nil
}
