package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlite"
)

// A file name may hold any character a SQLite URI gives a meaning to: the store opens that
// file, with its settings (WAL), and nothing else.
func TestOpenOddPath(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shop #1 ?100% é.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CreateShop(context.Background(), &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
		t.Fatal(err)
	}
	var mode string
	if err := s.DB().QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal mode %q, %v; want wal", mode, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) == 0 || names[0] != "shop #1 ?100% é.db" {
		t.Errorf("files %q, want the store under its own name", names)
	}
}
