package main

import "os"

// heapFloorBytes is the least heap the collector of serve, import and demo counts as live.
const heapFloorBytes = 64 << 20

// raiseHeapFloor keeps the collector from running every few milliseconds while the live
// heap is small. Serving a segment page allocates about 60 KiB, and with 5 MiB live the
// collector ran some fifty times a second under 64 connections. An import holds 70–90 MiB
// of batches in flight and allocates about 3 KiB a report row; with the floor, an All
// Orders report imported after its shipments ran about 8 % faster for about 70 MiB more
// resident memory (BENCHMARKS, 2026-12-06 afternoon). A pointer-free block the
// size of the floor counts as live but is never written, so the system does not back it
// with memory; the collector has nothing to scan in it. Once the real heap is larger the
// floor no longer matters. An operator's GOGC is left alone. The caller keeps the returned
// block reachable for as long as the floor should hold.
func raiseHeapFloor() []byte {
	if os.Getenv("GOGC") != "" {
		return nil
	}
	return make([]byte, heapFloorBytes)
}
