package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// Prepared statements of the hot single-customer read. On modernc SQLite, parsing the SQL
// costs more than running it, and database/sql keeps no statements of its own; a *sql.Stmt
// is prepared once per connection and reused. The cache is keyed by pool because Store has no
// field for it; an entry of a closed pool stays (a few hundred bytes per store opened).
var stmtCache sync.Map // stmtKey → *sql.Stmt

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
	return st, nil
}
