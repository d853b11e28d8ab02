package sqlstore

import (
	"context"
	"strings"
)

// CopyFunc writes rows into columns of table with PostgreSQL's COPY, on driverConn, the
// driver connection under a database/sql connection (package postgres knows its type). Each
// row holds int64, *int64 (NULL when nil) and string values.
type CopyFunc func(ctx context.Context, driverConn any, table string, columns []string, rows [][]any) error

// UseCopy lets plain inserts of many rows go by COPY. Package postgres sets it: the lines of
// new orders are the largest plain insert of an import, and COPY sends them as one stream
// with no statement to plan (BENCHMARKS, 2026-12-04).
func (s *Store) UseCopy(f CopyFunc) { s.copyRows = f }

// copyInto writes rows by COPY when the store has it, and reports whether it did; the caller
// falls back to bulkInsert.
func (w *wtx) copyInto(ctx context.Context, table string, columns []string, rows [][]any) (bool, error) {
	if w.copy == nil || len(rows) == 0 {
		return false, nil
	}
	w.rows += int64(len(rows))
	return true, w.conn.Raw(func(dc any) error { return w.copy(ctx, dc, table, columns, rows) })
}

// columnList splits a comma-separated list of column names, as COPY takes them.
func columnList(cols string) []string {
	return strings.Split(strings.Join(strings.Fields(cols), ""), ",")
}
