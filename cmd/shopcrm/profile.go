package main

import (
	"log/slog"
	"net"
	"net/http"
	httppprof "net/http/pprof"
	"os"
	"runtime/pprof"
	"time"
)

// startCPUProfile writes a CPU profile to path until the returned stop is called; with an
// empty path it does nothing. serve, demo and import take it as --cpuprofile, so a slow run
// can be looked into without a test harness (go tool pprof reads the file).
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// servePprof serves net/http/pprof's handlers on their own listener, so that heap and
// goroutine profiles of a running server can be taken without exposing them on the API
// address. The handlers are mounted on a private mux: importing net/http/pprof for its
// side effect would add them to http.DefaultServeMux.
func servePprof(addr string, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", httppprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", httppprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", httppprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", httppprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", httppprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Info("profiles served", "addr", ln.Addr().String())
	go srv.Serve(ln)
	return func() { srv.Close() }, nil
}
