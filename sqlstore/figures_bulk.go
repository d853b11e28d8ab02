package sqlstore

import (
	"context"
	"slices"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// bulkFacts keeps, for the length of a Bulk, the facts of the orders it inserted and of the
// after-sales and feedback it added to them, so that at its end the figures of the customers
// it created are folded from memory instead of read back from the store. Reading back a
// demo chunk's 300 000 orders, their lines, after-sales and feedback was a fifth of the
// demo's time.
//
// A customer created in the Bulk has no orders from before it, so its orders are all here,
// unless something the facts do not follow touched it: a stored order moved to it, an
// after-sale or feedback replaced, an order whose after-sales were stored before it. Those
// customers are dirty and recomputed from the store, as every customer the Bulk did not
// create is.
type bulkFacts struct {
	created map[int64]bool
	dirty   map[int64]bool
	// The facts by value in blocks, indexed by order id: a pointer and a string key per
	// order, or one slice grown by doubling, made them two to three times the size.
	blocks [][]orderFacts
	n      int
	index  map[int64]int32
	// stale marks orders (by id) whose after-sales or feedback the facts do not hold.
	stale      map[int64]bool
	currencies map[string]string
}

// bulkFactsMax bounds the orders a Bulk keeps facts of (about 150 bytes each); past it the
// Bulk forgets them and recomputes every customer from the store.
var bulkFactsMax = 1 << 21

func newBulkFacts() *bulkFacts {
	return &bulkFacts{created: map[int64]bool{}, dirty: map[int64]bool{}, index: map[int64]int32{},
		stale: map[int64]bool{}, currencies: map[string]string{}}
}

const factBlock = 4096

func (f *bulkFacts) at(i int32) *orderFacts { return &f.blocks[i/factBlock][i%factBlock] }

func (f *bulkFacts) add(o orderFacts) int32 {
	if f.n%factBlock == 0 {
		f.blocks = append(f.blocks, make([]orderFacts, 0, factBlock))
	}
	b := &f.blocks[len(f.blocks)-1]
	*b = append(*b, o)
	f.n++
	return int32(f.n - 1)
}

// each calls fn with the facts of every order.
func (f *bulkFacts) each(fn func(o *orderFacts)) {
	for _, b := range f.blocks {
		for i := range b {
			fn(&b[i])
		}
	}
}

// facts returns the Bulk's facts, or nil outside a Bulk or once it has given them up.
func (w *wtx) facts() *bulkFacts {
	if w.deferred == nil {
		return nil
	}
	return w.bulk
}

// addCreated records a customer linkCustomers inserted, and the keys of its figures rows.
func (w *wtx) addCreated(id int64, key customerKey) {
	if f := w.facts(); f != nil {
		f.created[id] = true
	}
	if w.deferred == nil {
		if w.unfigured == nil {
			w.unfigured = map[int64]customerKey{}
		}
		w.unfigured[id] = key
	}
}

// hasFacts reports whether the Bulk holds the facts of the order with the id.
func (w *wtx) hasFacts(id int64) bool {
	f := w.facts()
	if f == nil {
		return false
	}
	_, ok := f.index[id]
	return ok
}

// putOrder records the facts of an order the Bulk inserted, or changed after inserting
// it, and defers its customer's figures without marking them dirty.
func (w *wtx) putOrder(o *storedOrder) {
	f := w.facts()
	if f == nil {
		w.deferFigures(idOf(o.CustomerID))
		return
	}
	fresh := *newOrderFacts(o)
	// A report's fields are substrings of their row; the Bulk's own copy of the currency
	// keeps the rows collectable.
	c, ok := f.currencies[fresh.currency]
	if !ok {
		c = strings.Clone(fresh.currency)
		f.currencies[c] = c
	}
	fresh.currency = c
	fresh.number = strings.Clone(fresh.number)
	if i, ok := f.index[o.ID]; ok {
		old := f.at(i)
		fresh.refunds, fresh.refundUnits = old.refunds, old.refundUnits
		fresh.returns, fresh.returnUnits = old.returns, old.returnUnits
		fresh.exchanges, fresh.exchangeUnits = old.exchanges, old.exchangeUnits
		fresh.feedback, fresh.bad = old.feedback, old.bad
		*old = fresh
	} else {
		f.index[o.ID] = f.add(fresh)
	}
	if fresh.customer != 0 {
		w.deferred[fresh.customer] = struct{}{}
	}
	if f.n > bulkFactsMax {
		w.bulk = nil // every customer of the Bulk is recomputed from the store
	}
}

// putNewOrders records the facts of the orders UpsertOrders just inserted; those whose
// after-sales or feedback were stored before them are marked stale.
func (w *wtx) putNewOrders(ctx context.Context, added []*storedOrder) error {
	for _, o := range added {
		w.putOrder(o)
	}
	f := w.facts()
	if f == nil {
		return nil
	}
	early, err := ordersWithAfterSales(ctx, w, added)
	for _, o := range added {
		if early[orderKey{o.SID, o.Number}] {
			f.stale[o.ID] = true
		}
	}
	return err
}

// customersAfter brings after-sales or feedback UpsertAfterSales or UpsertFeedback just
// wrote into the facts, and returns the customers whose figures must be refreshed: those
// of the orders of changed (rows replaced), and of the added it could not fold. apply adds
// added[i] to the facts of its order when that order is one of this Bulk's; the orders of
// changed are marked stale. Each order is read once, for its id and customer together.
func (w *wtx) customersAfter(ctx context.Context, added []orderKey, apply func(i int, o *orderFacts), changed []orderKey) ([]int64, error) {
	f := w.facts()
	if f == nil || f.n == 0 {
		return customersOfOrders(ctx, w, append(changed, added...))
	}
	refs, err := orderRefs(ctx, w, append(changed[:len(changed):len(changed)], added...))
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, k := range changed {
		r := refs[k]
		if _, ok := f.index[r.id]; ok && r.id != 0 {
			f.stale[r.id] = true
		}
		ids = appendCustomer(ids, &r.customer)
	}
	for i, k := range added {
		r := refs[k]
		if j, ok := f.index[r.id]; ok && r.id != 0 {
			apply(i, f.at(j))
			continue
		}
		ids = appendCustomer(ids, &r.customer)
	}
	return ids, nil
}

// orderRef is a stored order's id and customer (0 for none).
type orderRef struct{ id, customer int64 }

// orderRefs reads the id and customer of the stored orders of keys.
func orderRefs(ctx context.Context, tx *wtx, keys []orderKey) (map[orderKey]orderRef, error) {
	refs := make(map[orderKey]orderRef, len(keys))
	err := shopChunks(keys, func(sid int64, numbers []string) error {
		in, args := tx.inStrings(2, numbers)
		rows, err := tx.QueryContext(ctx, `SELECT number, id, coalesce(customer_id, 0) FROM orders WHERE sid = $1 AND number`+in,
			append([]any{sid}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var number string
			var r orderRef
			if err := rows.Scan(&number, &r.id, &r.customer); err != nil {
				return err
			}
			refs[orderKey{sid, number}] = r
		}
		return rows.Err()
	})
	return refs, err
}

// foldBulk writes the figures of the customers of ids that the facts cover, and returns the
// others, to be recomputed from the store.
func (s *Store) foldBulk(ctx context.Context, tx *wtx, f *bulkFacts, ids []int64) ([]int64, error) {
	f.each(func(o *orderFacts) {
		if f.stale[o.id] {
			f.dirty[o.customer] = true
		}
	})
	byCustomer := map[int64][]*orderFacts{}
	f.each(func(o *orderFacts) {
		if o.counted && f.created[o.customer] && !f.dirty[o.customer] {
			byCustomer[o.customer] = append(byCustomer[o.customer], o)
		}
	})
	var rest, clean []int64
	for _, id := range ids {
		if f.created[id] && !f.dirty[id] {
			clean = append(clean, id)
		} else {
			rest = append(rest, id)
		}
	}
	slices.Sort(clean)
	rates, shops, err := loadConversion(ctx, tx)
	if err != nil {
		return nil, err
	}
	for len(clean) > 0 {
		n := min(len(clean), inChunk)
		in, args := tx.inIDs(1, clean[:n])
		keys, err := loadCustomerKeys(ctx, tx, in, args)
		if err != nil {
			return nil, err
		}
		var rows []*figureRow
		for _, cid := range clean[:n] {
			if key, ok := keys[cid]; ok && len(byCustomer[cid]) > 0 {
				rows = append(rows, buildFigures(cid, key, byCustomer[cid], rates, shops)...)
			}
		}
		// The customers are new in this Bulk and their figures waited for its end: they
		// have no stored rows to compare with or delete.
		if err := writeFigures(ctx, tx, map[figureKey][]any{}, rows); err != nil {
			return nil, err
		}
		clean = clean[n:]
	}
	return rest, nil
}

// addAfterSale adds an after-sale item to the facts of its order.
func (o *orderFacts) addAfterSale(a *shopcrm.AfterSale) {
	switch a.Type {
	case shopcrm.AfterSaleRefund:
		o.refunds, o.refundUnits = true, o.refundUnits+a.Quantity
	case shopcrm.AfterSaleReturn:
		o.returns, o.returnUnits = true, o.returnUnits+a.Quantity
	case shopcrm.AfterSaleExchange:
		o.exchanges, o.exchangeUnits = true, o.exchangeUnits+a.Quantity
	}
}
