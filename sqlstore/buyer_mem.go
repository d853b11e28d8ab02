package sqlstore

import "unsafe"

// The index's columns live outside the Go heap. A collection lets the heap grow to twice
// what is live before it runs; for a million buyers (about 180 MB of columns) that headroom
// alone would pass the server's memory budget. Columns hold no pointers, so the collector
// has nothing to find in them, and they are freed explicitly when the index is replaced.
// Small columns (tests, small shops) stay on the heap: mapping pages for them is not worth it.

const offHeapMin = 1 << 20 // bytes

// makeCol returns a zeroed slice of length 0 and capacity n.
func makeCol[T any](n int) []T {
	var z T
	size := n * int(unsafe.Sizeof(z))
	if size >= offHeapMin {
		if b := mapPages(size); b != nil {
			return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), n)[:0]
		}
	}
	return make([]T, 0, n)
}

// freeCol releases a column made by makeCol; heap columns are left to the collector.
func freeCol[T any](s []T) {
	var z T
	size := cap(s) * int(unsafe.Sizeof(z))
	if size >= offHeapMin {
		unmapPages(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s[:1]))), size))
	}
}

// push appends to a column, growing it by a quarter when full.
func push[T any](s []T, v ...T) []T {
	if len(s)+len(v) > cap(s) {
		t := makeCol[T](max(len(s)+len(v), cap(s)+cap(s)/4, 64))
		t = append(t, s...)
		freeCol(s)
		s = t
	}
	return append(s, v...)
}
