package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
	"time"
)

// DataVersion returns a token that stays the same only while nothing is committed to the
// database, by this process or any other. Callers cache what they read under it: a read
// made after the token was taken is at least as new as the token, so an entry whose token
// is still current is never older than the database.
//
// Each call waits for a check that starts after the call did, so a commit that finished
// before the call is always seen. Concurrent calls share checks: under load one check
// answers every request that arrived while the one before it ran.
func (s *Store) DataVersion(ctx context.Context) (string, error) {
	return s.versions.get(ctx, s)
}

// versionCheckTimeout bounds one shared check, which runs apart from any one request.
const versionCheckTimeout = 5 * time.Second

type versionGate struct {
	mu      sync.Mutex
	running *versionCheck // the check in flight, nil when none
	next    *versionCheck // the check that starts when running ends, joined meanwhile

	// SQLite counts commits per connection (PRAGMA data_version), so one connection is
	// held for the checks, with the statement prepared on it; epoch tells its counts from
	// those of an earlier connection.
	conn  *sql.Conn
	stmt  *sql.Stmt
	epoch int
}

type versionCheck struct {
	done    chan struct{}
	version string
	err     error
}

func (g *versionGate) get(ctx context.Context, s *Store) (string, error) {
	g.mu.Lock()
	c := g.next
	switch {
	case g.running == nil:
		c = &versionCheck{done: make(chan struct{})}
		g.running = c
		g.mu.Unlock()
		g.run(s, c)
		return c.version, c.err
	case c == nil:
		// The running check may have read the version before this call began.
		c = &versionCheck{done: make(chan struct{})}
		g.next = c
	}
	g.mu.Unlock()
	select {
	case <-c.done:
		return c.version, c.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// run performs check c, then starts the one callers joined while c ran.
func (g *versionGate) run(s *Store, c *versionCheck) {
	ctx, cancel := context.WithTimeout(context.Background(), versionCheckTimeout)
	c.version, c.err = g.check(ctx, s)
	cancel()
	g.mu.Lock()
	next := g.next
	g.running, g.next = next, nil
	g.mu.Unlock()
	close(c.done)
	if next != nil {
		go g.run(s, next)
	}
}

// check reads the version. Only one check runs at a time, so g.conn needs no lock of its own.
func (g *versionGate) check(ctx context.Context, s *Store) (string, error) {
	if s.pg {
		// Two equal snapshots see the same committed transactions: a commit anywhere moves
		// xmax past its id or takes it off the in-progress list.
		var snap string
		err := s.read.QueryRowContext(ctx, `SELECT pg_current_snapshot()::text`).Scan(&snap)
		return snap, err
	}
	if g.conn == nil {
		conn, err := s.read.Conn(ctx)
		if err != nil {
			return "", err
		}
		stmt, err := conn.PrepareContext(ctx, `PRAGMA data_version`)
		if err != nil {
			conn.Close()
			return "", err
		}
		g.conn, g.stmt = conn, stmt
		g.epoch++
	}
	var n int64
	if err := g.stmt.QueryRowContext(ctx).Scan(&n); err != nil {
		g.stmt.Close()
		g.conn.Close()
		g.conn, g.stmt = nil, nil
		return "", err
	}
	return strconv.Itoa(g.epoch) + ":" + strconv.FormatInt(n, 10), nil
}

// close gives the held connection back; Store.Close calls it before closing the pools.
func (g *versionGate) close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.conn != nil && g.running == nil {
		g.stmt.Close()
		g.conn.Close()
		g.conn, g.stmt = nil, nil
	}
}
