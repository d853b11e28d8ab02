package main

import (
	"runtime"
	"testing"
)

// TestHeapFloor: the floor counts as live heap until released, and an operator's GOGC
// turns it off.
func TestHeapFloor(t *testing.T) {
	t.Setenv("GOGC", "")
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	floor := raiseHeapFloor()
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if len(floor) != heapFloorBytes || after.HeapAlloc < before.HeapAlloc+heapFloorBytes*9/10 {
		t.Fatalf("floor of %d bytes; live heap %d -> %d", len(floor), before.HeapAlloc, after.HeapAlloc)
	}
	runtime.KeepAlive(floor)
	t.Setenv("GOGC", "200")
	if f := raiseHeapFloor(); f != nil {
		t.Fatalf("with GOGC set: a floor of %d bytes", len(f))
	}
}
