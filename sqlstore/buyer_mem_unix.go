//go:build unix

package sqlstore

import "syscall"

// mapPages maps size bytes of zeroed anonymous memory, nil when the system refuses.
func mapPages(size int) []byte {
	b, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	return b
}

// unmapPages releases what mapPages returned; memory it did not map is left alone.
func unmapPages(b []byte) { syscall.Munmap(b) }
