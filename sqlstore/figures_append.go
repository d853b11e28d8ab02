package sqlstore

import (
	"context"
	"maps"
	"slices"

	"github.com/shopcrm/shopcrm"
)

// refreshAfterOrders brings the figures up to date after UpsertOrders: the customers in full
// (whose stored orders changed) are recomputed from the store, and the new orders in added
// are added to their customers' stored rows.
//
// Adding needs no read of a customer's earlier orders, which made the refresh the largest
// cost of importing shipments. It gives the same rows as a recompute because every sum is
// taken order by order. A customer is recomputed instead when an after-sale or feedback was
// stored before the order arrived (a returns report imported before the shipments), when
// its latest purchase moves to a shop of another currency, which converts every earlier
// order anew, or when a new order was bought in the same second as its stored first or
// last one.
func (s *Store) refreshAfterOrders(ctx context.Context, tx *wtx, full []int64, added []*storedOrder) error {
	if tx.facts() != nil {
		tx.deferFigures(full...)
		return tx.putNewOrders(ctx, added)
	}
	if tx.deferFigures(full...) {
		for _, o := range added {
			tx.deferFigures(idOf(o.CustomerID))
		}
		return nil
	}
	recompute := map[int64]bool{}
	for _, id := range full {
		recompute[id] = true
	}
	facts := map[int64][]*orderFacts{}
	for _, o := range added {
		if o.CustomerID == nil || *o.CustomerID == 0 || recompute[*o.CustomerID] {
			continue
		}
		if f := newOrderFacts(o); f.counted {
			facts[f.customer] = append(facts[f.customer], f)
		}
	}
	// An after-sale or feedback stored before its order matters only to the figures of the
	// order's customer: orders without one (All Orders rows of unknown buyers) are not looked
	// up.
	bought := make([]*storedOrder, 0, len(added))
	for _, o := range added {
		if o.CustomerID != nil && !recompute[*o.CustomerID] {
			bought = append(bought, o)
		}
	}
	early, err := ordersWithAfterSales(ctx, tx, bought)
	if err != nil {
		return err
	}
	for _, o := range bought {
		if early[orderKey{o.SID, o.Number}] {
			delete(facts, *o.CustomerID)
			full = append(full, *o.CustomerID)
		}
	}
	ids := make([]int64, 0, len(facts))
	for id := range facts {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	if len(ids) > 0 {
		rates, shops, err := loadConversion(ctx, tx)
		if err != nil {
			return err
		}
		for len(ids) > 0 {
			n := min(len(ids), inChunk)
			more, err := appendChunk(ctx, tx, ids[:n], facts, rates, shops)
			if err != nil {
				return err
			}
			full = append(full, more...)
			ids = ids[n:]
		}
	}
	return s.refreshFigures(ctx, tx, full)
}

// appendChunk adds the new orders of up to inChunk customers to their stored rows. It
// returns the customers that need a recompute instead.
func appendChunk(ctx context.Context, tx *wtx, ids []int64, facts map[int64][]*orderFacts, rates rateTable,
	shops map[int64]*shopcrm.Shop) ([]int64, error) {
	stored, keys, err := loadAppendBase(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	var rows []*figureRow
	var recompute []int64
	write := map[figureKey][]any{} // the stored rows of the customers added to, for writeFigures
customers:
	for _, cid := range ids {
		key, ok := keys[cid]
		if !ok {
			continue // deleted since its orders were linked
		}
		os := facts[cid]
		bySID := map[int64][]*orderFacts{}
		for _, o := range os {
			bySID[o.sid] = append(bySID[o.sid], o)
		}
		var mine []*figureRow
		// A buyer of one shop has that shop's row in its all-shops row (storedForm). Orders
		// in that shop add to it; orders in another make it a row of its own, unchanged.
		var lone []any
		if all := stored[figureKey{cid, 0}]; all != nil {
			lone = loneShopRow(all, func(sid int64) bool { return stored[figureKey{cid, sid}] != nil })
		}
		if lone != nil && bySID[lone[1].(int64)] == nil {
			r := rowFromValues(lone)
			r.email, r.name = key.email, key.name
			mine = append(mine, r)
		}
		for sid, shopOrders := range bySID {
			old := stored[figureKey{cid, sid}]
			if old == nil && lone != nil && lone[1] == sid {
				old = lone
			}
			r, ok := appendRow(old, cid, sid, key, shopOrders, rates, shops)
			if !ok {
				recompute = append(recompute, cid)
				continue customers
			}
			mine = append(mine, r)
		}
		r, ok := appendRow(stored[figureKey{cid, 0}], cid, 0, key, os, rates, shops)
		if !ok {
			recompute = append(recompute, cid)
			continue
		}
		rows = append(rows, append(mine, r)...)
		for _, r := range rows[len(rows)-len(mine)-1:] {
			if v, ok := stored[figureKey{cid, r.sid}]; ok {
				write[figureKey{cid, r.sid}] = v
			}
		}
	}
	if err := writeFigures(ctx, tx, write, rows); err != nil {
		return nil, err
	}
	for _, cid := range ids {
		delete(tx.unfigured, cid) // its rows are stored now
	}
	return recompute, nil
}

// loadAppendBase reads the stored figures rows of customers and the keys those rows carry.
// The customers the transaction inserted are not looked up: they have no rows yet, and
// their keys are those they were inserted with. What was read ahead and is still true is
// taken from there (PrefetchOrders).
func loadAppendBase(ctx context.Context, tx *wtx, ids []int64) (map[figureKey][]any, map[int64]customerKey, error) {
	keys := map[int64]customerKey{}
	known := make([]int64, 0, len(ids))
	for _, cid := range ids {
		if k, ok := tx.unfigured[cid]; ok {
			keys[cid] = k
		} else {
			known = append(known, cid)
		}
	}
	stored := map[figureKey][]any{}
	again, keyless := tx.ahead.figuresAhead(known, stored, keys)
	if len(again) > 0 {
		in, args := tx.inIDs(1, again)
		rows, err := loadFigureRows(ctx, tx, in, args)
		if err != nil {
			return nil, nil, err
		}
		maps.Copy(stored, rows)
		keyless = append(keyless, again...)
	}
	if len(keyless) > 0 {
		in, args := tx.inIDs(1, keyless)
		found, err := loadCustomerKeys(ctx, tx, in, args)
		if err != nil {
			return nil, nil, err
		}
		maps.Copy(keys, found)
	}
	return stored, keys, nil
}

// appendRow adds orders to the stored row old (nil when the customer has none for sid). It
// reports false when the row's currency would change, or when a new order ties with the
// stored first or last purchase.
func appendRow(old []any, cid, sid int64, key customerKey, orders []*orderFacts, rates rateTable,
	shops map[int64]*shopcrm.Shop) (*figureRow, bool) {
	if old == nil {
		return foldFigures(cid, sid, key, orders, rates, shops), true
	}
	r := rowFromValues(old)
	r.email, r.name = key.email, key.name
	first, last := orders[0], orders[0]
	for _, o := range orders[1:] {
		if o.before(first) {
			first = o
		}
		if last.before(o) {
			last = o
		}
	}
	// An order bought in the same second as the stored first or last one is ordered by shop
	// and number (orderFacts.before), which the stored row does not keep: such a customer is
	// recomputed.
	firstAt, lastAt := unix(r.FirstPurchase), unix(r.LastPurchase)
	if first.purchase == firstAt || last.purchase == lastAt {
		return nil, false
	}
	if first.purchase < firstAt {
		r.setFirst(first, shops)
	}
	if last.purchase > lastAt {
		if shopCurrency(shops, last) != r.Currency {
			return nil, false
		}
		r.setLast(last, shops)
	}
	for _, o := range orders {
		r.add(o, rates)
	}
	r.finish()
	return r, true
}

// newOrderFacts reduces an order just inserted to its facts, as loadOrderFacts reads them
// from the store.
func newOrderFacts(o *storedOrder) *orderFacts {
	f := &orderFacts{id: o.ID, customer: idOf(o.CustomerID), sid: o.SID, number: o.Number, purchase: unix(o.PurchaseTime),
		currency: o.Currency}
	f.addLines(o.items.all(), o.Status, o.SalesChannel)
	return f
}

// ordersWithAfterSales returns which of the orders already have an after-sale or feedback.
func ordersWithAfterSales(ctx context.Context, tx *wtx, orders []*storedOrder) (map[orderKey]bool, error) {
	keys := make([]orderKey, len(orders))
	for i, o := range orders {
		keys[i] = orderKey{o.SID, o.Number}
	}
	found := map[orderKey]bool{}
	quiet := map[int64]bool{} // shops without a single after-sale or feedback
	err := shopChunks(keys, func(sid int64, numbers []string) error {
		q, known := quiet[sid]
		if !known {
			// Shipments imported first into a new shop look up every order and find
			// nothing; one probe per shop and batch answers for all of them.
			var some bool
			err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM after_sales WHERE sid = $1)
				OR EXISTS (SELECT 1 FROM feedback WHERE sid = $1)`, sid).Scan(&some)
			if err != nil {
				return err
			}
			q, quiet[sid] = !some, !some
		}
		if q {
			return nil
		}
		in1, args1 := tx.inStrings(2, numbers)
		in2, args2 := tx.inStrings(3+len(args1), numbers)
		args := append(append(append([]any{sid}, args1...), sid), args2...)
		rows, err := tx.QueryContext(ctx, `SELECT order_number FROM after_sales WHERE sid = $1 AND order_number`+in1+`
			UNION SELECT order_number FROM feedback WHERE sid = $`+itoa(int64(2+len(args1)))+` AND order_number`+in2, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var number string
			if err := rows.Scan(&number); err != nil {
				return err
			}
			found[orderKey{sid, number}] = true
		}
		return rows.Err()
	})
	return found, err
}
