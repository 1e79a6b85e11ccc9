package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/probedrill/probedrill/faultyapp/internal/app"
)

// benchClients is how many keep-alive connections load each server at once.
const benchClients = 8

// benchRounds splits the run into rounds; each round loads both servers,
// in alternating order, so that a change in machine load (this machine is
// shared) hits both alike. The reported ratio is the median of the rounds'.
const benchRounds = 20

// BenchmarkNoneVsBare measures requests/s of faultyapp in none mode (the
// whole app as shipped: counting, routing, one log line per request written
// to a real file) against a bare net/http handler that sends the same
// answer, over real loopback connections in the same run, and reports
// their ratio. `make bench` prints it; the goal is >= 0.9.
func BenchmarkNoneVsBare(b *testing.B) {
	bare := serveBare(b)
	fa := serveFaultyapp(b)
	n := max(b.N/benchRounds, benchClients)
	var tBare, tFa time.Duration
	ratios := make([]float64, benchRounds)
	b.ResetTimer()
	for i := range ratios {
		var db, df time.Duration
		if i%2 == 0 {
			db, df = load(b, bare, n), load(b, fa, n)
		} else {
			df, db = load(b, fa, n), load(b, bare, n)
		}
		tBare, tFa = tBare+db, tFa+df
		ratios[i] = db.Seconds() / df.Seconds() // time per request: bare / faultyapp
	}
	b.StopTimer()
	total := float64(n * benchRounds)
	slices.Sort(ratios)
	b.ReportMetric(0, "ns/op") // the per-op time mixes both servers: meaningless
	b.ReportMetric(total/tBare.Seconds(), "bare-req/s")
	b.ReportMetric(total/tFa.Seconds(), "faultyapp-req/s")
	b.ReportMetric(ratios[len(ratios)/2], "ratio")
}

func serveBare(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	body := []byte("You've hit bench\n")
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// serveFaultyapp runs faultyapp in-process with its log going to a file, as
// a container's stdout goes to a file through the runtime.
func serveFaultyapp(b *testing.B) string {
	logFile, err := os.Create(filepath.Join(b.TempDir(), "faultyapp.log"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { logFile.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	d := app.Deps{Stdout: logFile, Getenv: func(string) string { return "" }, Hostname: "bench",
		Listening: func(a net.Addr) { addrs <- a }}
	go func() { done <- app.Run(ctx, []string{"-addr", "127.0.0.1:0", "-fault", "none"}, d) }()
	b.Cleanup(func() { cancel(); <-done })
	select {
	case a := <-addrs:
		return "http://" + a.String() + "/"
	case err := <-done:
		b.Fatalf("faultyapp: %v", err)
	}
	return ""
}

// load sends n GET requests from benchClients goroutines over keep-alive
// connections and returns how long they took.
func load(b *testing.B, url string, n int) time.Duration {
	tr := &http.Transport{MaxIdleConnsPerHost: benchClients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var wg sync.WaitGroup
	start := time.Now()
	for range benchClients {
		wg.Go(func() {
			for range n / benchClients {
				resp, err := client.Get(url)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}
