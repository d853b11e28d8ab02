package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math/bits"
	"strings"
)

// wtx is a write transaction that prepares each distinct statement once. Ingest sends the
// same few statements thousands of times per batch; on SQLite parsing them again each time
// cost more than executing them.
type wtx struct {
	*sql.Tx
	conn  *sql.Conn // the connection of Tx, for COPY; every wtx has one (inWriteTx)
	copy  CopyFunc  // nil on SQLite
	stmts map[string]*sql.Stmt
	pg    bool
	rows  int64 // rows sent by bulkInsert and bulkQuery, for planStats
	// args holds one SQLite bulk statement's arguments at a time (bulkChunk): the driver
	// has bound them before the next statement is built.
	args []any
	// In a Bulk: the rows planStats has already been told of, the customers whose
	// figures are refreshed when it ends, and the facts that refresh folds from memory.
	counted  int64
	deferred map[int64]struct{}
	bulk     *bulkFacts
	// Outside a Bulk: the customers this transaction inserted whose figures it has not
	// written yet, with the keys their rows carry. They have no stored rows to add to, and
	// a batch of shipments imported buyer by buyer creates most of its buyers.
	unfigured map[int64]customerKey
	// What the commit log learns of this transaction: the orders it wrote, when it wrote
	// nothing else of orders and lines (UpsertOrders), nil when unknown; on PostgreSQL its
	// transaction id. See commitLog.
	wrote txWrites
	// ahead is what UpsertOrders may use of what was read ahead for its batch; nil when
	// nothing.
	ahead *aheadView
	// On SQLite, the store's filter of order keys (order_numbers.go); trusted once it may
	// answer for the orders this transaction sees, synced once the writer brought it up to
	// the store in this transaction; lastOrder is the highest order id it inserted.
	numbers         *orderNumbers
	trusted, synced bool
	lastOrder       int64
}

func (w *wtx) closeStmts() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// params returns n placeholders numbered from `from`. On SQLite they are plain "?": the
// modernc driver looks every named parameter up by a linear scan, which made binding the
// hundreds of parameters of a multi-row INSERT quadratic. A "?" after "$1" takes number 2,
// so the two styles mix as the numbering expects.
func (w *wtx) params(from, n int) string {
	if w.pg {
		return placeholders(from, n)
	}
	b := make([]byte, 0, 2*n)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '?')
	}
	return string(b)
}

// inWriteTx runs fn in a write transaction with a statement cache and commits it.
func (s *Store) inWriteTx(ctx context.Context, fn func(w *wtx) error) error {
	if w := s.bulkTx(ctx); w != nil {
		if s.pg {
			defer w.closeLookups()
		}
		if err := fn(w); err != nil {
			return err
		}
		// PostgreSQL's statistics must follow the rows this transaction wrote, or its later
		// lookups are planned for empty tables; ANALYZE counts the transaction's own rows.
		if rows := w.rows - w.counted; s.planStats.due(ctx, s, rows) {
			if _, err := w.Tx.ExecContext(ctx, `ANALYZE `+analyzeTables); err != nil {
				return err
			}
		}
		w.counted = w.rows
		return nil
	}
	var rows, lastOrder int64
	err := s.inConnTx(ctx, func(conn *sql.Conn, tx *sql.Tx) (txWrites, error) {
		w := &wtx{Tx: tx, conn: conn, copy: s.copyRows, stmts: map[string]*sql.Stmt{}, pg: s.pg}
		if !s.pg {
			w.numbers = &s.numbers
		}
		defer w.closeStmts()
		if err := fn(w); err != nil {
			return txWrites{}, err
		}
		rows, lastOrder = w.rows-w.counted, w.lastOrder
		return w.wrote, nil
	})
	if err == nil {
		s.planStats.wrote(ctx, s, rows)
		s.numbers.committed(lastOrder)
	}
	return err
}

// closeLookups closes the prepared statements other than INSERTs, so that the next call of
// a Bulk prepares them again. PostgreSQL settles on a generic plan for a statement after a
// few runs, on the statistics of then; in a Bulk begun on small tables the per-order lookups
// of after-sales and feedback then ran at a third of their batched rate to the end. The
// multi-row INSERTs keep theirs: planning 128 rows of parameters anew each time cost more
// than all the lookups gained.
func (w *wtx) closeLookups() {
	for q, st := range w.stmts {
		if !strings.HasPrefix(q, "INSERT") {
			st.Close()
			delete(w.stmts, q)
		}
	}
}

func (w *wtx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	w.stmts[query] = st
	return st, nil
}

// ExecContext and QueryContext go through the cache, so helpers taking a querier benefit too.
func (w *wtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(w.stmtCtx(ctx), args...)
}

func (w *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(w.stmtCtx(ctx), args...)
}

func (w *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return w.Tx.QueryRowContext(ctx, query, args...) // reports the same error on Scan
	}
	return st.QueryRowContext(w.stmtCtx(ctx), args...)
}

// stmtCtx is the context a statement of w runs with. The SQLite driver watches a
// cancellable context with a goroutine of its own for every statement, to interrupt the
// statement if the context ends while it runs. A shipments import of 1.2 M rows runs about
// 30 000 statements of a millisecond or less, and starting and waking their goroutines
// took 7 % of its time on 2 cores (docs/BENCHMARKS.md, 2026-12-07 morning). Every statement
// of a wtx is bounded by a batch or a chunk of one, so on SQLite they run with ctx's values
// but without its end: the transaction still ends with ctx, as database/sql rolls it back
// once the statement in progress returns, and the statements after that and the commit
// fail (TestCancelledWriteTx, storetest's TestWriteCancelled). The PostgreSQL driver
// watches a context without a goroutine.
func (w *wtx) stmtCtx(ctx context.Context) context.Context {
	if w.pg {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// inChunk is the fixed length of the IN lists ingest sends; shorter lists are padded with a
// value that matches nothing, so one prepared statement serves every chunk.
const inChunk = 256

// inIDs returns the membership test for a column, to follow it in SQL ("customer_id"+in),
// and its arguments. On SQLite it is " IN (?,…)" over inChunk placeholders, the ids padded
// with 0 (no row has id 0), so that one prepared statement serves every chunk. On
// PostgreSQL it is " = ANY($from::bigint[])": one array parameter, which PostgreSQL makes
// part of the index condition, one probe per element. The semi-join form it replaced
// ("IN (SELECT unnest(…))") was planned on the statistics of the table's start, and in a
// long import PostgreSQL came to read all of a shop's orders per lookup, 40 ms each.
func (w *wtx) inIDs(from int, ids []int64) (string, []any) {
	if w.pg {
		return fmt.Sprintf(" = ANY($%d::bigint[])", from), []any{ids}
	}
	args := make([]any, inChunk)
	for i := range args {
		if i < len(ids) {
			args[i] = ids[i]
		} else {
			args[i] = int64(0)
		}
	}
	return " IN (" + w.params(from, inChunk) + ")", args
}

// inIDChunks calls fn with the IN list and arguments of every inChunk ids.
func inIDChunks(tx *wtx, ids []int64, fn func(in string, args []any) error) error {
	for len(ids) > 0 {
		n := min(len(ids), inChunk)
		in, args := tx.inIDs(1, ids[:n])
		if err := fn(in, args); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// inStrings is inIDs for text keys, padded with "" (no key is empty).
func (w *wtx) inStrings(from int, keys []string) (string, []any) {
	if w.pg {
		return fmt.Sprintf(" = ANY($%d::text[])", from), []any{keys}
	}
	args := make([]any, inChunk)
	for i := range args {
		if i < len(keys) {
			args[i] = keys[i]
		} else {
			args[i] = ""
		}
	}
	return " IN (" + w.params(from, inChunk) + ")", args
}

// sqliteBulkRows is how many rows one multi-row INSERT carries on SQLite, where binding
// cost grows with the statement.
const sqliteBulkRows = 32

// bulkInsert inserts rows of arity values; insert is "INSERT INTO t (cols)", tail is
// appended (ON CONFLICT …). Returning queries use bulkQuery.
func bulkInsert(ctx context.Context, w *wtx, insert string, arity int, tail string, rows [][]any) error {
	return bulkQuery(ctx, w, insert, arity, tail, rows, nil)
}

// bulkQuery is bulkInsert for statements with RETURNING; scan, when not nil, is called per
// returned row.
//
// On SQLite the rows go in multi-row INSERTs of sqliteBulkRows rows (one prepared statement)
// and power-of-two runs for the rest. On PostgreSQL each column goes as one array parameter
// and the statement unnests them: one round trip per bulkArrayRows rows, and one array to
// bind per column instead of a parameter per value (multi-row INSERTs of 128 rows imported
// shipments a fifth slower, All Orders a third).
//
// On SQLite a statement that may fail after changing some rows (a multi-row INSERT under
// the default ON CONFLICT ABORT) keeps a statement journal: a copy of every page it changes,
// to undo the statement alone. Every caller gives up its whole transaction on any error,
// so the INSERTs say OR ROLLBACK, which needs none: SQLite then ends the transaction itself
// on a failed constraint (the caller's Rollback finds none left). With the foreign keys of
// sqlite migration 00042 gone, an FBA shipments import ran about 12 % faster
// (docs/BENCHMARKS.md, "no statement journal on SQLite").
func bulkQuery(ctx context.Context, w *wtx, insert string, arity int, tail string, rows [][]any, scan func(*sql.Rows) error) error {
	if !w.pg {
		insert = strings.Replace(insert, "INSERT INTO ", "INSERT OR ROLLBACK INTO ", 1)
	}
	for len(rows) > 0 {
		n, source, args := w.bulkChunk(rows, arity)
		query := insert + " " + source + tail
		if scan == nil {
			if _, err := w.ExecContext(ctx, query, args...); err != nil {
				return err
			}
		} else if err := scanAll(ctx, w, query, args, scan); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// bulkUpdate sets columns of existing rows of table by id. cols names "id" and then the
// columns to set, comma-separated; each row holds their values in that order.
func bulkUpdate(ctx context.Context, w *wtx, table, cols string, rows [][]any) error {
	names := strings.Split(cols, ",")
	set := make([]string, 0, len(names)-1)
	for _, c := range names[1:] {
		c = strings.TrimSpace(c)
		set = append(set, c+" = v."+c)
	}
	for len(rows) > 0 {
		n, source, args := w.bulkChunk(rows, len(names))
		_, err := w.ExecContext(ctx, `WITH v (`+cols+`) AS (`+source+`) UPDATE `+table+` SET `+strings.Join(set, ", ")+
			` FROM v WHERE `+table+`.id = v.id`, args...)
		if err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// bulkChunk takes the rows of the next bulk statement: how many, their SQL ("VALUES (…), …"
// on SQLite, "SELECT * FROM unnest(…)" on PostgreSQL) and its arguments.
func (w *wtx) bulkChunk(rows [][]any, arity int) (int, string, []any) {
	if w.pg {
		n := min(len(rows), bulkArrayRows)
		w.rows += int64(n)
		return n, `SELECT * FROM ` + unnestList(rows[0]), columnArrays(rows[:n], arity)
	}
	n := sqliteBulkRows
	if len(rows) < n {
		// The rest in power-of-two runs: few statement texts.
		n = 1 << (bits.Len(uint(len(rows))) - 1)
	}
	w.rows += int64(n)
	args := w.args[:0]
	for _, r := range rows[:n] {
		args = append(args, r...)
	}
	w.args = args
	return n, `VALUES ` + w.valuesList(n, arity), args
}

func scanAll(ctx context.Context, w *wtx, query string, args []any, scan func(*sql.Rows) error) error {
	rs, err := w.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := scan(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}

// bulkArrayRows bounds the rows of one statement on PostgreSQL.
const bulkArrayRows = 4096

// unnestList is "unnest($1::bigint[], $2::text[], …)" for rows shaped like row: int64 and
// *int64 (NULL when nil) values are bigint, strings text.
func unnestList(row []any) string {
	var b strings.Builder
	b.WriteString("unnest(")
	for i, v := range row {
		if i > 0 {
			b.WriteString(", ")
		}
		typ := "bigint"
		switch v.(type) {
		case int64, *int64:
		case string:
			typ = "text"
		default:
			panic(fmt.Sprintf("sqlstore: bulk value of type %T", v))
		}
		fmt.Fprintf(&b, "$%d::%s[]", i+1, typ)
	}
	b.WriteString(")")
	return b.String()
}

// columnArrays turns rows into one slice per column, typed as unnestList declares them.
func columnArrays(rows [][]any, arity int) []any {
	cols := make([]any, arity)
	for c := range arity {
		switch rows[0][c].(type) {
		case int64:
			col := make([]int64, len(rows))
			for i, r := range rows {
				col[i] = r[c].(int64)
			}
			cols[c] = col
		case *int64:
			col := make([]*int64, len(rows))
			for i, r := range rows {
				col[i] = r[c].(*int64)
			}
			cols[c] = col
		case string:
			col := make([]string, len(rows))
			for i, r := range rows {
				col[i] = r[c].(string)
			}
			cols[c] = col
		}
	}
	return cols
}

func (w *wtx) valuesList(n, arity int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(" + w.params(i*arity+1, arity) + ")")
	}
	return b.String()
}
