package sqlite

import (
	"fmt"
	"io/fs"
	"runtime/debug"
)

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err)
	}
	return sub
}

// libcVersion is the modernc.org/libc that modernc.org/sqlite v1.60.1 was built against; a
// different one can corrupt memory silently, so refuse to start instead.
const libcVersion = "v1.77.1"

func checkLibc() error {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	for _, m := range info.Deps {
		if m.Path == "modernc.org/libc" && m.Version != libcVersion && m.Version != "" {
			return fmt.Errorf("modernc.org/libc is %s, want %s (the version modernc.org/sqlite was built with)", m.Version, libcVersion)
		}
	}
	return nil
}
