package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// On SQLite the bulk INSERTs say OR ROLLBACK (bulkQuery): a constraint that fails in the
// middle of a batch ends the whole transaction there, the rows of its earlier statements
// included, and the writer goes on to its next transaction.
func TestBulkInsertFailureRollsBack(t *testing.T) {
	ctx := context.Background()
	db, s := openOneTable(t, `CREATE TABLE t (k TEXT NOT NULL UNIQUE)`)
	insert := func(w *wtx, keys ...string) error {
		rows := make([][]any, len(keys))
		for i, k := range keys {
			rows[i] = []any{k}
		}
		return bulkInsert(ctx, w, `INSERT INTO t (k)`, 1, "", rows)
	}
	count := func() int {
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	err := s.inWriteTx(ctx, func(w *wtx) error {
		if err := insert(w, "a", "b"); err != nil {
			t.Fatalf("first statement: %v", err)
		}
		err := insert(w, "c", "a", "d")
		// Under ABORT the transaction would still hold a and b here.
		var n int
		if qerr := w.QueryRowContext(ctx, `SELECT count(*) FROM t`).Scan(&n); qerr != nil || n != 0 {
			t.Fatalf("after the failed statement the transaction sees %d rows (%v), want none", n, qerr)
		}
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "UNIQUE") {
		t.Fatalf("a batch repeating a key: %v, want a UNIQUE failure", err)
	}
	if n := count(); n != 0 {
		t.Fatalf("%d rows kept from the failed transaction, want 0", n)
	}
	if err := s.inWriteTx(ctx, func(w *wtx) error { return insert(w, "a", "b", "c") }); err != nil {
		t.Fatalf("the next transaction: %v", err)
	}
	if n := count(); n != 3 {
		t.Fatalf("%d rows after the next transaction, want 3", n)
	}
}

// A wtx's statements on SQLite run without their context's end (stmtCtx), yet a write
// cancelled mid-transaction still stops: the statements after the cancel fail once
// database/sql has rolled the transaction back, the write reports the cancel, and none of
// its rows stay.
func TestCancelledWriteTx(t *testing.T) {
	db, s := openOneTable(t, `CREATE TABLE t (k INTEGER NOT NULL UNIQUE)`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ran := 0
	err := s.inWriteTx(ctx, func(w *wtx) error {
		if w.stmtCtx(ctx).Done() != nil {
			t.Error("a statement of a SQLite wtx runs with a cancellable context")
		}
		if _, err := w.ExecContext(ctx, `INSERT INTO t (k) VALUES ($1)`, 0); err != nil {
			t.Fatalf("before the cancel: %v", err)
		}
		cancel()
		// database/sql rolls the transaction back in a goroutine of its own.
		deadline := time.Now().Add(5 * time.Second)
		for time.Now().Before(deadline) {
			ran++
			if _, err := w.ExecContext(ctx, `INSERT INTO t (k) VALUES ($1)`, ran); err != nil {
				return err
			}
		}
		t.Fatalf("%d statements ran after the cancel, none failed", ran)
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled write returned %v", err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d rows kept (%v), want none", n, err)
	}
	t.Logf("%d statements ran after the cancel", ran-1)
}

// openOneTable opens a SQLite database of one table, made by create, on one connection, and
// a store over it that needs nothing else.
func openOneTable(t *testing.T, create string) (*sql.DB, *Store) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "t.db")+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(create); err != nil {
		t.Fatal(err)
	}
	return db, New(db, db, false)
}
