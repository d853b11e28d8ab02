package sqlite_test

import (
	"context"
	"database/sql"
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
	if size := pageSize(t, s.DB()); size != 8192 {
		t.Errorf("page size %d, want 8192", size)
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

func pageSize(t *testing.T, db *sql.DB) int {
	t.Helper()
	var size int
	if err := db.QueryRow(`PRAGMA page_size`).Scan(&size); err != nil {
		t.Fatal(err)
	}
	return size
}

// A new store, or an empty file, gets 8 KiB pages; a store created with other pages keeps
// them, and its rows.
func TestPageSize(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	old := filepath.Join(dir, "old.db")
	db, err := sql.Open("sqlite", old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`PRAGMA page_size = 4096; CREATE TABLE kept (v TEXT); INSERT INTO kept VALUES ('row')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for path, want := range map[string]int{filepath.Join(dir, "new.db"): 8192, empty: 8192, old: 4096} {
		s, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if size := pageSize(t, s.DB()); size != want {
			t.Errorf("%s: page size %d, want %d", filepath.Base(path), size, want)
		}
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
		}
		s.Close()
	}
	db, err = sql.Open("sqlite", old)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow(`SELECT v FROM kept`).Scan(&v); err != nil || v != "row" {
		t.Errorf("the old store's row: %q, %v", v, err)
	}
}
