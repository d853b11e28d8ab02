// Package sqlstore implements the shopcrm services over database/sql. The SQL it sends is
// the subset that SQLite and PostgreSQL share ($N placeholders, ON CONFLICT, RETURNING);
// where the two differ the query asks s.pg. The engines' own packages (sqlite, postgres)
// open the connections, set them up and apply their own migrations.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/shopcrm/shopcrm"
)

// Store is an open shopcrm database.
type Store struct {
	read  *sql.DB // readers; many connections
	write *sql.DB // the single writer on SQLite; the same pool as read on PostgreSQL
	ahead *sql.DB // the import's read-ahead (PrefetchOrders); nil = read
	pg    bool

	// The customer list's in-memory ranking index (buyer_index.go), built on first use.
	buyersOnce sync.Once
	buyerIdx   *buyerIndex

	planStats planStats // PostgreSQL statistics kept current under bulk writes
	copyRows  CopyFunc  // COPY on PostgreSQL (copy.go); nil on SQLite
	versions  versionGate
	counts    countCache   // customer list totals (count_cache.go)
	titles    titleCache   // segment titles of customer pages (customer_segments.go)
	commits   commitLog    // the SQLite writer's recent commits (order_prefetch.go)
	numbers   orderNumbers // the keys of the stored orders, on SQLite (order_numbers.go)

	// Now returns the current time; tests replace it.
	Now func() time.Time
}

// New wraps opened and migrated pools.
func New(read, write *sql.DB, postgres bool) *Store {
	return &Store{read: read, write: write, pg: postgres, Now: time.Now}
}

// SetReadAhead gives the reads an import makes ahead of its writer (PrefetchOrders) a pool
// of their own, which the store closes with the rest.
func (s *Store) SetReadAhead(db *sql.DB) { s.ahead = db }

// readAhead is the pool PrefetchOrders reads on.
func (s *Store) readAhead() *sql.DB {
	if s.ahead != nil {
		return s.ahead
	}
	return s.read
}

// DB returns the read pool, for benchmarks that time raw SQL beside the service.
func (s *Store) DB() *sql.DB { return s.read }

// ReadConns is how many reads the store runs at once: its read pool, less the connection the
// data version holds on SQLite (version.go). A server that queues its requests in front of
// the store lets this many through.
func (s *Store) ReadConns() int {
	n := s.read.Stats().MaxOpenConnections
	if !s.pg {
		n--
	}
	return max(n, 1)
}

// IsPostgres reports the engine.
func (s *Store) IsPostgres() bool { return s.pg }

// Close releases the customer-list index and closes the pools.
func (s *Store) Close() error {
	if s.buyerIdx != nil {
		s.buyerIdx.release()
		s.buyerIdx.freeBuffers()
	}
	s.versions.close()
	err := s.read.Close()
	if s.ahead != nil {
		if err2 := s.ahead.Close(); err == nil {
			err = err2
		}
	}
	if s.write != s.read {
		if err2 := s.write.Close(); err == nil {
			err = err2
		}
	}
	return err
}

// inTx runs fn in a write transaction and commits it.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if w := s.bulkTx(ctx); w != nil {
		return fn(w.Tx) // inside a Bulk: join its transaction
	}
	return s.inConnTx(ctx, func(_ *sql.Conn, tx *sql.Tx) (txWrites, error) { return txWrites{}, fn(tx) })
}

// inConnTx runs fn in a write transaction on a connection of its own, which fn may use for
// what database/sql cannot send (COPY), and commits it. A write that fails once ctx is done
// reports the cancellation: pgx closes the connection under the statement it cancels, and
// the failure then reads "sql: connection is already closed" or "use of closed network
// connection" (about 1 in 60 writes cancelled at random, TestWriteCancelled).
//
// fn returns what it wrote, for the commit log that orders read ahead are checked against
// (order_prefetch.go).
func (s *Store) inConnTx(ctx context.Context, fn func(conn *sql.Conn, tx *sql.Tx) (txWrites, error)) (err error) {
	defer func() {
		if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
	}()
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if !s.pg {
		if err := s.commits.check(ctx, conn, tx); err != nil {
			return err
		}
	}
	wrote, err := fn(conn, tx)
	if err != nil {
		return err
	}
	err = tx.Commit()
	if err != nil {
		wrote = txWrites{} // it may have landed
	}
	s.commits.add(wrote)
	return err
}

func (s *Store) now() int64 { return s.Now().UTC().Unix() }

// querier is satisfied by *sql.DB and *sql.Tx, so read helpers serve both.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func notFound(what string, key any) error {
	return shopcrm.Errorf(shopcrm.ENOTFOUND, "%s %v not found", what, key)
}

func unix(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UTC().Unix()
}

func fromUnix(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(v, 0).UTC()
}

// placeholders returns "$from, $from+1, …" for n arguments.
func placeholders(from, n int) string {
	b := make([]byte, 0, n*4)
	for i := 0; i < n; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "$%d", from+i)
	}
	return string(b)
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}
