package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
)

func TestHelloLikeTheSeed(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.After = config.FailAfter, 5 })
	paths := []string{"/", "/healthz", "/", "/x", "/", "/", "/healthz"}
	var codes []int
	for _, p := range paths {
		code, body := rg.do(t, "GET", p)
		codes = append(codes, code)
		if p == "/" && code == 200 && body != "You've hit test-host\n" {
			t.Errorf("body %q", body)
		}
		if code == 500 && body != notWell {
			t.Errorf("500 body %q", body)
		}
	}
	want := []int{200, 200, 200, 200, 200, 500, 500}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("codes = %v, want %v (every request counts)", codes, want)
		}
	}
	rg.log.waitFor(t, "fault fail-after: request 6 -> now answering 500")
	rg.log.waitFor(t, "#6 GET / 500 from")
}

func TestFlakyAnswers500(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.P = config.Flaky, 1 })
	code, body := rg.do(t, "GET", "/")
	if code != http.StatusInternalServerError || !strings.Contains(body, "flaky") {
		t.Errorf("got %d %q", code, body)
	}
}

func TestHangNeverAnswers(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.After = config.Hang, 1 })
	rg.do(t, "GET", "/")
	rg.unanswered(t, "/healthz", "#2 GET /healthz hangs, no answer")
	rg.log.waitFor(t, "#2 GET /healthz client gone after ")
}

func TestDeadlockBlocksButControlStillWorks(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.After, c.Control = config.Deadlock, 1, true })
	rg.do(t, "GET", "/")
	rg.unanswered(t, "/", "#2 GET / blocked in the deadlock, no answer")
	rg.unanswered(t, "/healthz", "#3 GET /healthz blocked in the deadlock")
	if code, _ := rg.do(t, "POST", "/fault?fault=none"); code != 200 {
		t.Fatalf("switching a deadlocked app back: %d", code)
	}
	if code, _ := rg.do(t, "GET", "/"); code != 200 {
		t.Errorf("after switching to none: %d", code)
	}
}

func TestCrashExitsWithoutAnswer(t *testing.T) {
	rg := newRig(t, func(c *config.Config) { c.Fault, c.After, c.ExitCode = config.Crash, 1, 7 })
	rg.do(t, "GET", "/")
	rg.unanswered(t, "/", "#2 GET / crash, no answer")
	if code := <-rg.exits; code != 7 {
		t.Errorf("exit code %d, want 7", code)
	}
}
