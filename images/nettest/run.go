package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// requestTimeout bounds one get or lookup so a broken network fails fast.
const requestTimeout = 5 * time.Second

var errUsage = errors.New("usage: nettest serve [ADDR] | get URL | lookup NAME")

func run(args []string, out io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	switch verb, rest := args[0], args[1:]; {
	case verb == "serve" && len(rest) <= 1:
		addr := ":8080"
		if len(rest) == 1 {
			addr = rest[0]
		}
		return serve(addr)
	case verb == "get" && len(rest) == 1:
		return get(rest[0], out)
	case verb == "lookup" && len(rest) == 1:
		return lookup(rest[0], out)
	}
	return errUsage
}

// handler answers with the pod's hostname and the caller's address, so a
// client can tell which pod it reached and whether its source IP was kept.
func handler(hostname string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s\n", hostname, r.RemoteAddr)
	})
}

func serve(addr string) error {
	hostname, err := os.Hostname()
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: handler(hostname), ReadHeaderTimeout: requestTimeout}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		srv.Close() //nolint:errcheck // shutting down
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func get(url string, out io.Writer) error {
	client := &http.Client{Timeout: requestTimeout}
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(out, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return nil
}

func lookup(name string, out io.Writer) error {
	ctx, cancel := context.WithTimeout(context.Background(), requestTimeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, name)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, strings.Join(addrs, " "))
	return err
}
