package sqlstore

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
)

// Prepared statements of the hot customer reads. On modernc SQLite, parsing the SQL
// costs more than running it, and database/sql keeps no statements of its own; a *sql.Stmt
// is prepared once per connection and reused. The cache is keyed by pool because Store has no
// field for it; an entry of a closed pool stays (a few hundred bytes per store opened).
var (
	stmtCache sync.Map // stmtKey → *sql.Stmt
	stmtCount atomic.Int64
)

// maxCachedStmts bounds the statements kept: list filters combine into thousands of texts,
// and a statement is kept on every connection that ran it.
const maxCachedStmts = 256

type stmtKey struct {
	db    *sql.DB
	query string
}

func cachedStmt(ctx context.Context, db *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{db, query}
	if st, ok := stmtCache.Load(k); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := stmtCache.LoadOrStore(k, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	stmtCount.Add(1)
	return st, nil
}

// queryOn runs query on q, through a kept statement when q is the read pool and the text is
// one of a bounded set.
func (s *Store) queryOn(ctx context.Context, q querier, bounded bool, query string, args ...any) (*sql.Rows, error) {
	if q == s.read && bounded {
		return queryCached(ctx, s.read, query, args...)
	}
	return q.QueryContext(ctx, query, args...)
}

// queryCached runs a query through a kept statement while fewer than maxCachedStmts are
// kept, and unprepared after that.
func queryCached(ctx context.Context, db *sql.DB, query string, args ...any) (*sql.Rows, error) {
	if _, ok := stmtCache.Load(stmtKey{db, query}); !ok && stmtCount.Load() >= maxCachedStmts {
		return db.QueryContext(ctx, query, args...)
	}
	st, err := cachedStmt(ctx, db, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}
