package main

import (
	"runtime"
	"testing"
)

// TestHeapFloor: the floor counts as live heap until released, and an operator's GOGC
// turns it off.
func TestHeapFloor(t *testing.T) {
	t.Setenv("GOGC", "")
	live := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	floor := raiseHeapFloor()
	if len(floor) != heapFloorBytes {
		t.Fatalf("a floor of %d bytes", len(floor))
	}
	// Measured as what releasing the floor frees, not what raising it adds: with -count
	// above 1 the earlier tests' garbage (servers shut down) was still being freed between
	// two readings, and a floor taken alone then seemed 50 MiB.
	held := live()
	runtime.KeepAlive(floor) // and no further: the next reading is without it
	if freed := held - min(held, live()); freed < heapFloorBytes*9/10 {
		t.Fatalf("releasing the floor freed %d bytes of live heap, want about %d", freed, heapFloorBytes)
	}
	t.Setenv("GOGC", "200")
	if f := raiseHeapFloor(); f != nil {
		t.Fatalf("with GOGC set: a floor of %d bytes", len(f))
	}
}
