package server

import (
	"net"

	"github.com/probedrill/probedrill/faultyapp/internal/fault"
	"github.com/probedrill/probedrill/faultyapp/internal/reqlog"
)

// Listener counts accepted connections for the tcp-close fault: a TCP probe
// only connects and hangs up, so connections are what it can count. Under
// tcp-close each connection is logged, since no request line will be.
type Listener struct {
	net.Listener
	Eng *fault.Engine
	Log *reqlog.Logger
}

// Accept accepts and counts one connection; the engine may close the
// listener right after (the connection it returns is still served).
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.Eng.Conn(func(n int64) { l.Log.Eventf("conn %d from %s", n, c.RemoteAddr()) })
	return c, nil
}
