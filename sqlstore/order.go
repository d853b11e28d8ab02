package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// storedOrder is an order as the store holds it, for merging an incoming copy into it.
type storedOrder struct {
	shopcrm.Order
	items orderLines
}

// UpsertOrders writes orders by (sid, number) and items by (order, sku), links buyers to
// customers, and refreshes the figures of every customer whose orders changed. Re-importing
// identical rows writes nothing.
func (s *Store) UpsertOrders(ctx context.Context, orders []*shopcrm.Order) (shopcrm.WriteResult, error) {
	return s.upsertOrders(ctx, orders, nil)
}

// upsertOrders is UpsertOrders with the stored orders read ahead, or nil (PrefetchOrders).
func (s *Store) upsertOrders(ctx context.Context, orders []*shopcrm.Order, pre *prefetched) (shopcrm.WriteResult, error) {
	var res shopcrm.WriteResult
	for _, o := range orders {
		if err := o.Validate(); err != nil {
			return res, err
		}
		// The store keeps whole seconds; compare like with like on re-import.
		o.PurchaseTime = o.PurchaseTime.Truncate(time.Second)
		o.UpdatedTime = o.UpdatedTime.Truncate(time.Second)
	}
	err := s.inWriteTx(ctx, func(tx *wtx) error {
		res = shopcrm.WriteResult{}
		if err := checkShops(ctx, tx, orders); err != nil {
			return err
		}
		if tx.numbers != nil && !tx.synced {
			// Once per transaction: a Bulk's calls share one, and nothing else commits in it.
			trusted, err := tx.numbers.sync(ctx, tx, len(orders))
			if err != nil {
				return err
			}
			tx.trusted, tx.synced = trusted, true
		}
		ahead, err := s.viewAhead(ctx, tx, pre)
		if err != nil {
			return err
		}
		tx.ahead = ahead
		customers, err := s.linkCustomers(ctx, tx, orders)
		if err != nil {
			return err
		}
		existing, err := storedOrders(ctx, tx, orders, tx.ahead)
		if err != nil {
			return err
		}
		if s.bulkTx(ctx) == nil {
			// The transaction writes these orders, customers and figures and no others
			// (commitLog); the figures of the customers its orders leave are added below.
			if err := tx.noteWrites(ctx, orders, customers); err != nil {
				return err
			}
		}
		var touched []int64 // customers whose stored orders changed
		var fresh []*shopcrm.Order
		updates := orderWrites{}
		for _, in := range orders {
			key := orderKey{in.SID, in.Number}
			if email := buyerKey(in.BuyerEmail); email != "" {
				id := customers[email]
				in.CustomerID = &id
			}
			old := existing[key]
			if old == nil {
				// A second copy of a new order in the same batch merges into the first.
				existing[key] = &storedOrder{Order: *in, items: newOrderLines(in.Items)}
				fresh = append(fresh, in)
				res.Inserted++
				continue
			}
			if old.ID == 0 {
				mergeNew(old, in)
				continue
			}
			before := newOrderFacts(old)
			if !mergeOrder(old, in, updates) {
				res.Unchanged++
				continue
			}
			res.Updated++
			if tx.hasFacts(old.ID) {
				tx.putOrder(old) // inserted earlier in this Bulk
				continue
			}
			after := newOrderFacts(old)
			if *after == *before {
				// What changed (an ASIN, a title, a status that counts alike) is not in any
				// figure. An All Orders report imported after the shipments changes every
				// order so, and recomputing its buyers made it a fifth as fast.
				continue
			}
			// The buyer the order had, and the one it has: an order that moves takes its
			// figures from the one to the other.
			touched = appendCustomer(touched, &before.customer)
			touched = appendCustomer(touched, &after.customer)
		}
		if err := updates.write(ctx, tx); err != nil {
			return err
		}
		if err := insertOrders(ctx, tx, existing, fresh); err != nil {
			return err
		}
		added := make([]*storedOrder, len(fresh))
		for i, in := range fresh {
			added[i] = existing[orderKey{in.SID, in.Number}]
		}
		tx.noteFigures(touched)
		return s.refreshAfterOrders(ctx, tx, touched, added)
	})
	return res, err
}

// checkShops refuses orders of a shop the store does not have. On PostgreSQL no foreign key
// does (migration 00038), and on SQLite the key's failure named no shop.
func checkShops(ctx context.Context, tx *wtx, orders []*shopcrm.Order) error {
	var sids []int64
	for _, o := range orders {
		if !slices.Contains(sids, o.SID) {
			sids = append(sids, o.SID)
		}
	}
	slices.Sort(sids)
	in, args := tx.inIDs(1, sids)
	known := map[int64]bool{}
	err := scanAll(ctx, tx, `SELECT sid FROM shops WHERE sid`+in, args, func(r *sql.Rows) error {
		var sid int64
		err := r.Scan(&sid)
		known[sid] = true
		return err
	})
	if err != nil {
		return err
	}
	for _, sid := range sids {
		if !known[sid] {
			return shopcrm.Errorf(shopcrm.EINVALID, "unknown shop %d: add it with `shopcrm shop add` first", sid)
		}
	}
	return nil
}

// mergeNew folds a repeated copy of an order not yet written into the pending one.
func mergeNew(pending *storedOrder, in *shopcrm.Order) {
	o := &pending.Order
	if in.UpdatedTime.After(o.UpdatedTime) && in.Status != "" {
		o.Status, o.UpdatedTime = in.Status, in.UpdatedTime
	}
	if o.CustomerID == nil {
		o.CustomerID, o.BuyerEmail, o.BuyerName = in.CustomerID, in.BuyerEmail, in.BuyerName
	}
	for _, it := range in.Items {
		if prev, ok := pending.items.get(it.SKU); ok {
			it, _ = shopcrm.AddParcels(prev, it)
		}
		pending.items.put(it)
	}
}

type orderKey struct {
	sid    int64
	number string
}

func appendCustomer(ids []int64, id *int64) []int64 {
	if id != nil && *id != 0 {
		return append(ids, *id)
	}
	return ids
}

const orderColumns = `sid, number, customer_id, buyer_email, buyer_name, purchase_time, updated_time, status,
	fulfilment, sales_channel, currency, coupon_code`

// newOrderColumns are the columns new orders are written to: orderColumns, the id and the
// lines (order_lines_json.go).
var newOrderColumns = append(columnList(orderColumns), "id", "lines")

// insertOrders writes the batch's new orders with their lines. The ids are the store's to
// give: SQLite's one writer, which holds the database from BEGIN, numbers the orders itself
// from the table's AUTOINCREMENT counter, and PostgreSQL draws them from the column's
// sequence in one query; the rows then go with their ids, in multi-row INSERTs on SQLite and
// by COPY on PostgreSQL, and nothing is read back per order. The 500 000 orders of a
// shipments report took 10.8 s by INSERT … RETURNING on PostgreSQL, 6.4 s by COPY
// (BENCHMARKS, 2026-12-05 night); on SQLite, numbering in Go imported All Orders about 3 %
// faster than RETURNING.
func insertOrders(ctx context.Context, tx *wtx, pending map[orderKey]*storedOrder, fresh []*shopcrm.Order) error {
	if len(fresh) == 0 {
		return nil
	}
	ids, err := newOrderIDs(ctx, tx, len(fresh))
	if err != nil {
		return err
	}
	rows := make([][]any, len(fresh))
	keys := make([]orderKey, len(fresh))
	for i, in := range fresh {
		keys[i] = orderKey{in.SID, in.Number}
		p := pending[keys[i]]
		p.ID = ids[i]
		o := &p.Order
		rows[i] = []any{o.SID, o.Number, o.CustomerID, o.BuyerEmail, o.BuyerName, unix(o.PurchaseTime),
			unix(o.UpdatedTime), o.Status, o.Fulfilment, o.SalesChannel, o.Currency, o.CouponCode, p.ID, linesJSON(p.items.all())}
	}
	copied, err := tx.copyInto(ctx, "orders", newOrderColumns, rows)
	if err == nil && !copied {
		err = bulkInsert(ctx, tx, `INSERT INTO orders (`+strings.Join(newOrderColumns, ", ")+`)`, len(newOrderColumns), "", rows)
	}
	if err != nil {
		return err
	}
	if tx.pg {
		return nil
	}
	tx.numbers.inserted(keys)
	tx.lastOrder = max(tx.lastOrder, ids[len(ids)-1])
	return copyPurchaseTimes(ctx, tx, fresh)
}

// copyPurchaseTimes gives the after-sales stored before their orders (a returns report
// imported before the shipments) the purchase times of the new orders, which the after-sale
// list sorts and filters by. PostgreSQL does it in a statement trigger over the inserted
// rows; SQLite's triggers run per row, and a shop without after-sales, where every import
// into a new store begins, is skipped with one probe.
func copyPurchaseTimes(ctx context.Context, tx *wtx, fresh []*shopcrm.Order) error {
	keys := make([]orderKey, len(fresh))
	for i, o := range fresh {
		keys[i] = orderKey{o.SID, o.Number}
	}
	has := map[int64]bool{}
	return shopChunks(keys, func(sid int64, numbers []string) error {
		some, known := has[sid]
		if !known {
			err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM after_sales WHERE sid = $1)`, sid).Scan(&some)
			if err != nil {
				return err
			}
			has[sid] = some
		}
		if !some {
			return nil
		}
		in, args := tx.inStrings(2, numbers)
		_, err := tx.ExecContext(ctx, `UPDATE after_sales SET purchase_time =
				(SELECT purchase_time FROM orders WHERE sid = after_sales.sid AND number = after_sales.order_number)
			WHERE sid = $1 AND order_number`+in, append([]any{sid}, args...)...)
		return err
	})
}

// newOrderIDs takes n ids for new orders: on SQLite the next n of the AUTOINCREMENT counter
// (sqliteIDs), on PostgreSQL n values of the id column's sequence, which no other writer can
// be given.
func newOrderIDs(ctx context.Context, tx *wtx, n int) ([]int64, error) {
	if !tx.pg {
		return sqliteIDs(ctx, tx, "orders", n)
	}
	ids := make([]int64, 0, n)
	err := scanAll(ctx, tx, `SELECT nextval('orders_id_seq') FROM generate_series(1, $1)`, []any{n},
		func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		})
	return ids, err
}

// sqliteIDs takes the next n ids of table's AUTOINCREMENT counter on SQLite, whose one
// writer holds the database from BEGIN: no other transaction can take them, and inserting
// rows with these ids moves the counter past them.
func sqliteIDs(ctx context.Context, tx *wtx, table string, n int) ([]int64, error) {
	var last int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = $1), 0)`, table).Scan(&last)
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = last + 1 + int64(i)
	}
	return ids, err
}

// orderWrites collects the changed stored orders of a batch, with their lines, by id, so
// that a batch updates them in bulk; an order changed twice keeps its last copy.
type orderWrites map[int64][]any

const orderUpdateColumns = `id, customer_id, buyer_email, buyer_name, purchase_time, updated_time, status, fulfilment,
	sales_channel, currency, coupon_code, lines`

func (w orderWrites) add(id int64, m *shopcrm.Order, lines []shopcrm.OrderItem) {
	w[id] = []any{id, m.CustomerID, m.BuyerEmail, m.BuyerName, unix(m.PurchaseTime), unix(m.UpdatedTime), m.Status,
		m.Fulfilment, m.SalesChannel, m.Currency, m.CouponCode, linesJSON(lines)}
}

func (w orderWrites) write(ctx context.Context, tx *wtx) error {
	ids := make([]int64, 0, len(w))
	for id := range w {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rows := make([][]any, len(ids))
	for i, id := range ids {
		rows[i] = w[id]
	}
	return bulkUpdate(ctx, tx, "orders", orderUpdateColumns, rows)
}

// mergeOrder folds an incoming copy of an order into the stored one, collects the write
// that makes in updates, and reports whether anything changed. Fields the incoming
// report does not carry (empty) keep their stored values, and an older copy (earlier
// last-updated time) never rolls the status back.
func mergeOrder(old *storedOrder, in *shopcrm.Order, updates orderWrites) bool {
	m := old.Order
	newer := in.UpdatedTime.IsZero() || !in.UpdatedTime.Before(m.UpdatedTime)
	pick := func(dst *string, v string, onlyNewer bool) {
		if v != "" && (newer || !onlyNewer || *dst == "") {
			*dst = v
		}
	}
	pick(&m.Status, in.Status, true)
	pick(&m.BuyerEmail, in.BuyerEmail, false)
	pick(&m.BuyerName, in.BuyerName, false)
	pick(&m.Fulfilment, in.Fulfilment, false)
	pick(&m.SalesChannel, in.SalesChannel, false)
	pick(&m.Currency, in.Currency, false)
	pick(&m.CouponCode, in.CouponCode, false)
	if in.CustomerID != nil {
		m.CustomerID = in.CustomerID
	}
	if in.UpdatedTime.After(m.UpdatedTime) {
		m.UpdatedTime = in.UpdatedTime
	}
	if !in.PurchaseTime.IsZero() {
		m.PurchaseTime = in.PurchaseTime
	}
	changed := m.Status != old.Status || m.BuyerEmail != old.BuyerEmail || m.BuyerName != old.BuyerName ||
		m.Fulfilment != old.Fulfilment || m.SalesChannel != old.SalesChannel || m.Currency != old.Currency ||
		m.CouponCode != old.CouponCode || !m.UpdatedTime.Equal(old.UpdatedTime) || !m.PurchaseTime.Equal(old.PurchaseTime) ||
		idOf(m.CustomerID) != idOf(old.CustomerID)
	for i := range in.Items {
		it := in.Items[i]
		prev, ok := old.items.get(it.SKU)
		if ok {
			// A parcel of a line already stored adds to it (see shopcrm.AddParcels).
			it, _ = shopcrm.AddParcels(prev, it)
			// A report without titles or ASINs must not erase them.
			if it.Title == "" {
				it.Title = prev.Title
			}
			if it.ASIN == "" {
				it.ASIN = prev.ASIN
			}
			if !newer {
				it.Status = prev.Status
			}
			if it == prev {
				continue
			}
		}
		old.items.put(it)
		changed = true
	}
	old.Order = m
	if changed {
		updates.add(old.ID, &m, old.items.all())
	}
	return changed
}

func idOf(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}
