package main

import (
	"os"
	"runtime/pprof"
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
