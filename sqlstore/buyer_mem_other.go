//go:build !unix

package sqlstore

// Without mmap the columns stay on the Go heap.
func mapPages(size int) []byte { return nil }

func unmapPages(b []byte) {}
