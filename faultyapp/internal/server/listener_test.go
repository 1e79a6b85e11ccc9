package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"syscall"
	"testing"

	"github.com/probedrill/probedrill/faultyapp/internal/config"
	"github.com/probedrill/probedrill/faultyapp/internal/fault"
	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
)

func TestTCPCloseRefusesAfterN(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := &sink{added: make(chan struct{}, 1)}
	logger := reqlog.New(log)
	cfg := config.Default()
	cfg.Fault, cfg.After = config.TCPClose, 2
	fx := fault.Effects{CloseListener: func() { raw.Close() }, Exit: func(int) {}}
	eng, err := fault.New(context.Background(), cfg, logger, fx)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: New(eng, logger, "h").Handler()}
	go srv.Serve(&Listener{Listener: raw, Eng: eng, Log: logger})
	defer srv.Close()

	addr := raw.Addr().String()
	for i := range 2 { // two TCP probes: connect and hang up
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatalf("connection %d: %v", i+1, err)
		}
		c.Close()
	}
	log.waitFor(t, "conn 2 from 127.0.0.1:")
	log.waitFor(t, "fault tcp-close: connection 2 -> listener closed")
	if _, err := net.Dial("tcp", addr); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("third connection: %v, want connection refused", err)
	}
}
