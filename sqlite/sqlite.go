// Package sqlite opens the embedded shopcrm store: SQLite through the pure-Go modernc driver.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"strings"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/shopcrm/shopcrm/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Pragmas set on every connection: busy_timeout first so that the others never fail on a
// locked database; WAL so readers never block the writer; NORMAL sync is durable in WAL.
var pragmas = []string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)",
	"foreign_keys(ON)", "temp_store(MEMORY)"}

// Memory per connection. The one writer maps the start of the file and keeps a large page
// cache for imports, which touch index pages all over a file of gigabytes; the map is kept to
// 256 MiB because every mapped page an import touches stays in its resident memory (a
// 1 GiB map made a 1.25 GiB process of the 1 M-buyer demo). Readers map nothing and
// keep a small cache: mapped pages count as the server's resident memory (a 2 GiB server at
// a million buyers), their reads are index lookups the OS page cache serves well, and 8 MiB
// per reader cost 60 MiB of RSS under load for no measurable latency.
type connMemory struct{ cacheKiB, mmapBytes int64 }

// The import's read-ahead (sqlstore.Store.PrefetchOrders) has a connection of its own that
// maps the file as the writer does: it reads each batch's stored orders, lines, customers
// and figures rows from pages all over the file, and through the map each costs no read
// call. An All Orders report of 500 000 orders after their shipments imported buyer by
// buyer went from 99 956 and 104 232 to 113 329 and 119 188 rows/s. A server reads nothing
// ahead, and database/sql opens the connection only when it is first used.
var (
	writerMemory = connMemory{cacheKiB: 65536, mmapBytes: 256 << 20}
	readerMemory = connMemory{cacheKiB: 2048}
	aheadMemory  = connMemory{cacheKiB: 2048, mmapBytes: 256 << 20}
)

func dsn(path string, immediate bool, m connMemory) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", m.cacheKiB))
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", m.mmapBytes))
	if immediate {
		// Checkpoint every 16 384 pages of log (128 MiB at 8 KiB pages) instead of every
		// 1 000: an import rewrites the same index pages batch after batch, and each
		// checkpoint copies a page once however often it was logged (the 100 000-buyer demo
		// used 10 % less CPU).
		q.Add("_pragma", "wal_autocheckpoint(16384)")
		// The writer takes the lock at BEGIN, so two writers queue instead of deadlocking.
		q.Set("_txlock", "immediate")
	}
	return "file:" + uriPath.Replace(path) + "?" + q.Encode()
}

// uriPath escapes what a SQLite URI file name gives a meaning to: a path with "#" or "?" in
// it was cut there, and the store opened another file.
var uriPath = strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")

// WriterDSN is the data source name the store's one writer opens path with: every pragma
// and cache setting it writes under. Benchmarks that time raw SQL beside the store use it,
// so that the two compare the same engine settings.
func WriterDSN(path string) string { return dsn(path, true, writerMemory) }

// newPageSize is the page size of a new store file. Twice SQLite's default 4 KiB halves the
// pages an import's B-trees split and a commit logs, for the same bytes: the shipments
// report of `shopcrm bench import` went in 4–9 % faster at 8 KiB (docs/BENCHMARKS.md,
// 2026-12-07 morning). A store keeps the size it was created with (docs/DECISIONS.md says
// how to change it).
const newPageSize = 8192

// Open opens (creating if needed) the database file at path and applies migrations.
func Open(ctx context.Context, path string) (*sqlstore.Store, error) {
	if err := checkLibc(); err != nil {
		return nil, err
	}
	if err := create(ctx, path); err != nil {
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	write, err := sql.Open("sqlite", dsn(path, true, writerMemory))
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1) // SQLite has one writer; queue in Go, not in busy loops
	if err := migrate(ctx, write); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", dsn(path, false, readerMemory))
	if err != nil {
		write.Close()
		return nil, err
	}
	// One more than the queries use: the store holds one reader for its data version
	// (sqlstore/version.go).
	readers := max(4, 2*runtime.GOMAXPROCS(0)) + 1
	read.SetMaxOpenConns(readers)
	read.SetMaxIdleConns(readers)
	ahead, err := sql.Open("sqlite", dsn(path, false, aheadMemory))
	if err != nil {
		write.Close()
		read.Close()
		return nil, err
	}
	ahead.SetMaxOpenConns(1) // an import reads one batch ahead at a time
	s := sqlstore.New(read, write, false)
	s.SetReadAhead(ahead)
	return s, nil
}

// create gives a new (missing or empty) store file its page size and WAL mode. It runs on a
// connection of its own because the driver applies a DSN's pragmas in alphabetical order, and
// journal_mode, which writes the file's first page, would come before page_size.
func create(ctx context.Context, path string) error {
	if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
		return nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	db, err := sql.Open("sqlite", "file:"+uriPath.Replace(path)+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, fmt.Sprintf("PRAGMA page_size = %d; PRAGMA journal_mode = WAL", newPageSize))
	return err
}

func migrate(ctx context.Context, db *sql.DB) error {
	p, err := newMigrations(db)
	if err != nil {
		return err
	}
	_, err = p.Up(ctx)
	return err
}

// newMigrations returns the store's migrations: the SQL files, and those written in Go.
func newMigrations(db *sql.DB) (*goose.Provider, error) {
	return goose.NewProvider(goose.DialectSQLite3, db, mustSub(migrations, "migrations"),
		goose.WithGoMigrations(dropImportKeys))
}
