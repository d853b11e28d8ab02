package sqlstore

import (
	"context"
	"database/sql"
	"sync"

	"github.com/shopcrm/shopcrm"
)

// PrefetchOrders reads the stored copies of orders on a reader connection and returns the
// UpsertOrders that writes them with what it read. An import calls it for the next batch
// while the writer commits the one before, so that the reading runs on a second core: an
// All Orders report imported after the shipments updates every order, and reading the
// stored orders and lines was half of its writer's time (docs/BENCHMARKS.md).
//
// What was read may be out of date by the time the write runs: the writer may have
// committed the same orders since, or another process may have committed anything. The
// write checks (commitLog) and reads again on the writer what it cannot trust; it writes
// exactly what UpsertOrders would have. On PostgreSQL, and inside a Bulk, whose writes no
// reader sees, nothing is read ahead.
func (s *Store) PrefetchOrders(ctx context.Context, orders []*shopcrm.Order) (func(context.Context) (shopcrm.WriteResult, error), error) {
	write := func(ctx context.Context) (shopcrm.WriteResult, error) { return s.UpsertOrders(ctx, orders) }
	if s.pg || s.bulkTx(ctx) != nil || len(orders) == 0 {
		return write, nil
	}
	seq := s.commits.current()
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	r := &wtx{Tx: tx, stmts: map[string]*sql.Stmt{}}
	defer r.closeStmts()
	stored, err := loadStoredOrders(ctx, r, orders)
	if err != nil {
		return nil, err
	}
	p := &prefetched{seq: seq, orders: stored}
	return func(ctx context.Context) (shopcrm.WriteResult, error) { return s.upsertOrders(ctx, orders, p) }, nil
}

// prefetched is what PrefetchOrders read: the stored orders as of a snapshot that holds at
// least the writer's commits up to seq.
type prefetched struct {
	seq    uint64
	orders map[orderKey]*storedOrder
}

// storedOrders returns the stored copies of the batch's orders: those read ahead where no
// commit since can have changed them, the rest read now in tx.
func (s *Store) storedOrders(ctx context.Context, tx *wtx, orders []*shopcrm.Order, p *prefetched) (map[orderKey]*storedOrder, error) {
	if p == nil {
		return loadStoredOrders(ctx, tx, orders)
	}
	written, ok := s.commits.writtenSince(p.seq)
	if !ok {
		return loadStoredOrders(ctx, tx, orders)
	}
	var again []*shopcrm.Order
	for _, o := range orders {
		for _, wrote := range written {
			if _, ok := wrote[orderKey{o.SID, o.Number}]; ok {
				again = append(again, o)
				break
			}
		}
	}
	if len(again) == 0 {
		return p.orders, nil
	}
	fresh, err := loadStoredOrders(ctx, tx, again)
	if err != nil {
		return nil, err
	}
	for _, o := range again {
		k := orderKey{o.SID, o.Number}
		if so := fresh[k]; so != nil {
			p.orders[k] = so
		} else {
			delete(p.orders, k)
		}
	}
	return p.orders, nil
}

// commitLog counts the SQLite writer's commits and keeps, for the last few, the orders they
// wrote, so that orders read ahead on a reader can be checked against what was committed
// after. A commit that did not say what it wrote (any write but UpsertOrders's own
// transaction), and a commit by another connection (seen at the writer's next BEGIN as a
// change of PRAGMA data_version), may have changed any order.
type commitLog struct {
	mu  sync.Mutex
	seq uint64
	// wrote[i] holds the orders of commit seq-i, nil when unknown.
	wrote [commitsKept]map[orderKey]struct{}
	// The writer connection and its data_version at its last transaction: another
	// connection's commit changes the number, and a new connection counts afresh.
	conn    any
	version int64
}

const commitsKept = 8

func (l *commitLog) current() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq
}

// add records a commit; wrote nil means it may have written any order.
func (l *commitLog) add(wrote map[orderKey]struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	copy(l.wrote[1:], l.wrote[:commitsKept-1])
	l.wrote[0] = wrote
}

// begun checks the writer connection at the start of a transaction: if another connection
// committed since the writer's last transaction, that is a commit of unknown orders.
func (l *commitLog) begun(conn any, version int64) {
	l.mu.Lock()
	same := conn == l.conn && version == l.version
	l.conn, l.version = conn, version
	l.mu.Unlock()
	if !same {
		l.add(nil)
	}
}

// writtenSince returns the orders of each commit after seq, or false when they are not known.
func (l *commitLog) writtenSince(seq uint64) ([]map[orderKey]struct{}, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.seq - seq
	if n > commitsKept {
		return nil, false
	}
	written := make([]map[orderKey]struct{}, n)
	copy(written, l.wrote[:n])
	for _, wrote := range written {
		if wrote == nil {
			return nil, false
		}
	}
	return written, true
}

// check reads the writer connection's data_version at the start of a transaction (commitLog).
// The writer begins IMMEDIATE, so nothing else commits until this transaction ends.
func (l *commitLog) check(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
	var version int64
	if err := tx.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&version); err != nil {
		return err
	}
	var dc any
	if err := conn.Raw(func(c any) error { dc = c; return nil }); err != nil {
		return err
	}
	l.begun(dc, version)
	return nil
}
