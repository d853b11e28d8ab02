package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"sync"

	"github.com/shopcrm/shopcrm"
)

// PrefetchOrders reads the stored copies of orders on a reader connection, with their
// buyers' customers and figures rows, and returns the UpsertOrders that writes them with
// what it read. An import calls it for the next batch while the writer commits the one
// before, so that the reading runs on a second core: an All Orders report imported after
// the shipments updates every order, and reading the stored orders and lines was half of
// its writer's time; a second month of shipments adds to every buyer's figures rows, and
// reading them and the customers was a sixth (docs/BENCHMARKS.md).
//
// What was read may be out of date by the time the write runs: the writer may have
// committed the same orders or customers since, or another process may have committed
// anything. The write checks (commitLog, and on PostgreSQL the snapshots, foreignCommits)
// and reads again on the writer what it cannot trust; it writes exactly what UpsertOrders
// would have. Inside a Bulk, whose writes no reader sees, nothing is read ahead.
func (s *Store) PrefetchOrders(ctx context.Context, orders []*shopcrm.Order) (func(context.Context) (shopcrm.WriteResult, error), error) {
	write := func(ctx context.Context) (shopcrm.WriteResult, error) { return s.UpsertOrders(ctx, orders) }
	if s.bulkTx(ctx) != nil || len(orders) == 0 {
		return write, nil
	}
	seq := s.commits.current()
	opts := &sql.TxOptions{ReadOnly: true}
	if s.pg {
		opts.Isolation = sql.LevelRepeatableRead // one snapshot for the reads and for the check
	}
	tx, err := s.readAhead().BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	p := &prefetched{seq: seq}
	if s.pg {
		if err := tx.QueryRowContext(ctx, `SELECT pg_current_snapshot()::text`).Scan(&p.snapshot); err != nil {
			return nil, err
		}
	}
	r := &wtx{Tx: tx, stmts: map[string]*sql.Stmt{}, pg: s.pg}
	defer r.closeStmts()
	if !s.pg {
		r.numbers = &s.numbers
		if r.trusted, err = s.numbers.usableAt(ctx, r); err != nil {
			return nil, err
		}
	}
	if p.orders, err = loadStoredOrders(ctx, r, orders); err != nil {
		return nil, err
	}
	if err := p.readCustomers(ctx, r, orders); err != nil {
		return nil, err
	}
	return func(ctx context.Context) (shopcrm.WriteResult, error) { return s.upsertOrders(ctx, orders, p) }, nil
}

// prefetched is what PrefetchOrders read: as of a snapshot that holds at least the
// writer's commits up to seq (on PostgreSQL, that snapshot), the stored orders, the
// customers of the batch's buyer e-mails (those absent had none), and the figures rows and
// keys of those customers.
type prefetched struct {
	seq      uint64
	snapshot string
	orders   map[orderKey]*storedOrder
	// customers is nil on PostgreSQL, where the writer looks customers up itself to lock
	// them (lockLinked).
	customers map[string]linkedCustomer
	// figured holds the customers whose figures rows (figures, by customer) were read; on
	// SQLite figureKeys holds the keys those rows carry.
	figured    map[int64]bool
	figures    map[int64][][]any
	figureKeys map[int64]customerKey
}

// linkedCustomer is what linkCustomers reads of a buyer's customer.
type linkedCustomer struct {
	id           int64
	name, mobile string
}

// txWrites is what a write transaction tells the commit log: the orders it wrote, the
// buyer e-mails it linked and the customers whose figures it may have written, all nil
// when it may have written anything; on PostgreSQL its transaction id, 0 when unknown.
type txWrites struct {
	orders    map[orderKey]struct{}
	emails    map[string]struct{}
	customers map[int64]struct{}
	xid       int64
}

// noteWrites records that the transaction writes these orders, links these buyers and
// writes the figures of these customers (and of those noteFigures adds), and nothing else
// of orders, lines, customers and figures; on PostgreSQL its transaction id, which it takes
// now if it has none yet.
func (w *wtx) noteWrites(ctx context.Context, orders []*shopcrm.Order, linked map[string]int64) error {
	w.wrote.orders = make(map[orderKey]struct{}, len(orders))
	for _, o := range orders {
		w.wrote.orders[orderKey{o.SID, o.Number}] = struct{}{}
	}
	w.wrote.emails = make(map[string]struct{}, len(linked))
	w.wrote.customers = make(map[int64]struct{}, len(linked))
	for email, id := range linked {
		w.wrote.emails[email] = struct{}{}
		w.wrote.customers[id] = struct{}{}
	}
	if !w.pg {
		return nil
	}
	return w.QueryRowContext(ctx, `SELECT pg_current_xact_id()::text::bigint`).Scan(&w.wrote.xid)
}

// noteFigures adds customers whose figures the transaction writes to what noteWrites
// recorded.
func (w *wtx) noteFigures(ids []int64) {
	if w.wrote.customers == nil {
		return
	}
	for _, id := range ids {
		w.wrote.customers[id] = struct{}{}
	}
}

// aheadView is what the writer may use of a prefetch: since are the commits after its
// snapshot, each of which said what it wrote. A nil view trusts nothing.
type aheadView struct {
	*prefetched
	since []txWrites
}

// viewAhead checks what was read ahead against the commits since; nil when p is nil or
// anything may have changed.
func (s *Store) viewAhead(ctx context.Context, tx *wtx, p *prefetched) (*aheadView, error) {
	if p == nil {
		return nil, nil
	}
	since, ok := s.commits.writtenSince(p.seq)
	if ok && tx.pg {
		xids := []int64{} // not nil: "<> ALL(NULL)" would hold for no transaction
		for _, w := range since {
			if w.xid != 0 {
				xids = append(xids, w.xid)
			}
		}
		foreign, err := foreignCommits(ctx, tx, p.snapshot, xids)
		if err != nil {
			return nil, err
		}
		ok = !foreign
	}
	if !ok {
		return nil, nil
	}
	return &aheadView{p, since}, nil
}

func (v *aheadView) orderStale(k orderKey) bool {
	for _, w := range v.since {
		if _, ok := w.orders[k]; ok {
			return true
		}
	}
	return false
}

func (v *aheadView) emailStale(email string) bool {
	for _, w := range v.since {
		if _, ok := w.emails[email]; ok {
			return true
		}
	}
	return false
}

func (v *aheadView) customerStale(id int64) bool {
	for _, w := range v.since {
		if _, ok := w.customers[id]; ok {
			return true
		}
	}
	return false
}

// storedOrders returns the stored copies of the batch's orders: those read ahead where no
// commit since can have changed them, the rest read now in tx.
func storedOrders(ctx context.Context, tx *wtx, orders []*shopcrm.Order, v *aheadView) (map[orderKey]*storedOrder, error) {
	if v == nil {
		return loadStoredOrders(ctx, tx, orders)
	}
	var again []*shopcrm.Order
	for _, o := range orders {
		if v.orderStale(orderKey{o.SID, o.Number}) {
			again = append(again, o)
		}
	}
	if len(again) == 0 {
		return v.orders, nil
	}
	fresh, err := loadStoredOrders(ctx, tx, again)
	if err != nil {
		return nil, err
	}
	for _, o := range again {
		k := orderKey{o.SID, o.Number}
		if so := fresh[k]; so != nil {
			v.orders[k] = so
		} else {
			delete(v.orders, k)
		}
	}
	return v.orders, nil
}

// foreignCommits reports whether a transaction other than the writer's own (xids) ended
// between the snapshot the orders were read in and the writer's current one: PostgreSQL
// has other writers, and their commits are not in the log. The candidates are the
// transactions running at the read and those begun after it; any of them that has ended
// since, committed or not, counts. Past 100 000 of them it does not look, and counts them.
func foreignCommits(ctx context.Context, tx *wtx, snapshot string, xids []int64) (bool, error) {
	var foreign bool
	err := tx.QueryRowContext(ctx, `WITH now AS (SELECT pg_current_snapshot() AS s),
		span AS (SELECT pg_snapshot_xmax($1::pg_snapshot)::text::bigint AS lo, pg_snapshot_xmax(s)::text::bigint AS hi, s FROM now)
		SELECT CASE WHEN hi - lo > 100000 THEN true ELSE EXISTS (
			SELECT 1 FROM (SELECT x FROM pg_snapshot_xip($1::pg_snapshot) AS x
				UNION ALL SELECT g::text::xid8 FROM generate_series(lo, hi - 1) AS g) c
			WHERE pg_visible_in_snapshot(c.x, span.s) AND c.x::text::bigint <> ALL($2::bigint[])) END
		FROM span`, snapshot, xids).Scan(&foreign)
	return foreign, err
}

// commitLog counts the store's commits and keeps, for the last few, the orders they wrote,
// so that orders read ahead on a reader can be checked against what was committed after. A
// commit that did not say what it wrote (any write but UpsertOrders's own transaction), and
// on SQLite a commit by another connection (seen at the writer's next BEGIN as a change of
// PRAGMA data_version), may have changed any order. On PostgreSQL the log keeps each
// commit's transaction id, which tells the writer's own commits from other writers'.
type commitLog struct {
	mu  sync.Mutex
	seq uint64
	// wrote[i] is what commit seq-i wrote.
	wrote [commitsKept]txWrites
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

// add records a commit; wrote.orders nil means it may have written anything.
func (l *commitLog) add(wrote txWrites) {
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
		l.add(txWrites{})
	}
}

// writtenSince returns what each commit after seq wrote, or false when that is not known.
func (l *commitLog) writtenSince(seq uint64) ([]txWrites, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := l.seq - seq
	if n > commitsKept {
		return nil, false
	}
	for _, wrote := range l.wrote[:n] {
		if wrote.orders == nil {
			return nil, false
		}
	}
	return slices.Clone(l.wrote[:n]), true
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
