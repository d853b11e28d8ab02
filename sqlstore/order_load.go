package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// lockLinked keeps the customers an import links from being deleted before it commits, as
// the foreign key from orders did on PostgreSQL (migration 00038). SQLite's one writer needs
// no lock.
func lockLinked(tx *wtx) string {
	if tx.pg {
		return ` FOR KEY SHARE`
	}
	return ""
}

// linkCustomers returns the customer id of every buyer e-mail in the batch, creating the
// customers that do not exist yet. A customer created here takes the buyer's name; a
// customer without a mobile takes the one an own-shop order carries, in the same transaction
// as the order.
func (s *Store) linkCustomers(ctx context.Context, tx *wtx, orders []*shopcrm.Order) (map[string]int64, error) {
	names := map[string]string{}
	mobiles := map[string]string{}
	emails := map[string]string{}
	var keys []string // in order of first appearance, so that new customers' ids follow the file
	for _, o := range orders {
		key := buyerKey(o.BuyerEmail)
		if key == "" {
			continue
		}
		if _, ok := emails[key]; !ok {
			keys = append(keys, key)
		}
		emails[key] = strings.TrimSpace(o.BuyerEmail)
		// The first name and mobile of the batch, as the first batch's stand against later
		// ones: what a customer gets does not depend on where a batch begins.
		if _, ok := names[key]; !ok && o.BuyerName != "" {
			names[key] = o.BuyerName
		}
		if _, ok := mobiles[key]; !ok && o.BuyerMobile != "" {
			mobiles[key] = o.BuyerMobile
		}
	}
	now := s.now()
	// The customers read ahead and still true, and those of the keys looked up now.
	found, lookup := tx.ahead.linkedAhead(keys)
	for rest := lookup; len(rest) > 0; {
		n := min(len(rest), inChunk)
		in, args := tx.inStrings(1, rest[:n])
		if err := scanLinked(ctx, tx, linkedQuery+in+lockLinked(tx), args, found); err != nil {
			return nil, err
		}
		rest = rest[n:]
	}
	ids := make(map[string]int64, len(emails))
	for _, key := range keys {
		c, ok := found[key]
		if !ok {
			continue
		}
		ids[key] = c.id
		if c.name == "" && names[key] != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE customers SET full_name = $1 WHERE id = $2`, names[key], c.id); err != nil {
				return nil, err
			}
		}
		if c.mobile == "" && mobiles[key] != "" {
			_, err := tx.ExecContext(ctx, `UPDATE customers SET mobile = $1, updated_at = $2 WHERE id = $3`, mobiles[key], now, c.id)
			if err != nil {
				return nil, err
			}
		}
	}
	var fresh [][]any
	for _, key := range keys {
		if _, ok := ids[key]; !ok {
			fresh = append(fresh, []any{key, emails[key], names[key], mobiles[key], `{"source_name":"amazon"}`, now, now})
		}
	}
	created := func(id int64, key string) {
		ids[key] = id
		tx.addCreated(id, customerKey{email: key, name: strings.ToLower(names[key])})
	}
	if tx.pg {
		err := bulkQuery(ctx, tx, `INSERT INTO customers (`+newCustomerColumns+`)`, 7,
			` RETURNING id, email_key`, fresh, func(r *sql.Rows) error {
				var id int64
				var key string
				err := r.Scan(&id, &key)
				created(id, key)
				return err
			})
		return ids, err
	}
	// SQLite numbers them in Go, as it does orders: reading RETURNING back cost about 2 % of
	// a shipments import into a new store (BENCHMARKS, 2026-12-06 evening).
	if len(fresh) == 0 {
		return ids, nil
	}
	newIDs, err := sqliteIDs(ctx, tx, "customers", len(fresh))
	if err != nil {
		return nil, err
	}
	for i, row := range fresh {
		fresh[i] = append(row, newIDs[i])
		created(newIDs[i], row[0].(string))
	}
	return ids, bulkInsert(ctx, tx, `INSERT INTO customers (`+newCustomerColumns+`, id)`, 8, "", fresh)
}

// newCustomerColumns are the columns a customer an import creates is written with.
const newCustomerColumns = `email_key, email, full_name, mobile, profile, created_at, updated_at`

// shopChunks calls fn with the order numbers of keys, a shop and at most inChunk numbers
// at a time: the shape of every lookup by (sid, number).
func shopChunks(keys []orderKey, fn func(sid int64, numbers []string) error) error {
	bySID := map[int64][]string{}
	for _, k := range keys {
		bySID[k.sid] = append(bySID[k.sid], k.number)
	}
	for sid, numbers := range bySID {
		for len(numbers) > 0 {
			n := min(len(numbers), inChunk)
			if err := fn(sid, numbers[:n]); err != nil {
				return err
			}
			numbers = numbers[n:]
		}
	}
	return nil
}

// loadStoredOrders reads the stored copies of the batch's orders and their items; on
// SQLite each row as one joined text (order_joined.go).
func loadStoredOrders(ctx context.Context, tx *wtx, orders []*shopcrm.Order) (map[orderKey]*storedOrder, error) {
	keys := make([]orderKey, len(orders))
	for i, o := range orders {
		keys[i] = orderKey{o.SID, o.Number}
	}
	out := map[orderKey]*storedOrder{}
	byID := map[int64]*storedOrder{}
	add := func(so *storedOrder) {
		out[orderKey{so.SID, so.Number}] = so
		byID[so.ID] = so
	}
	var again []int64 // orders whose joined text did not split
	err := shopChunks(keys, func(sid int64, numbers []string) error {
		in, args := tx.inStrings(2, numbers)
		cols := orderColumns
		if !tx.pg {
			cols = joinedOrderText
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, `+cols+` FROM orders WHERE sid = $1 AND number`+in,
			append([]any{sid}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var text string
		for rows.Next() {
			so := &storedOrder{}
			if tx.pg {
				err = scanOrder(rows, &so.Order)
			} else if err = rows.Scan(&so.ID, &text); err == nil && !parseJoinedOrder(text, &so.Order) {
				again = append(again, so.ID)
				continue
			}
			if err != nil {
				return err
			}
			add(so)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	err = inIDChunks(tx, again, func(in string, args []any) error {
		return scanAll(ctx, tx, `SELECT id, `+orderColumns+` FROM orders WHERE id`+in, args, func(r *sql.Rows) error {
			so := &storedOrder{}
			err := scanOrder(r, &so.Order)
			add(so)
			return err
		})
	})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	// Lines column by column: every line on PostgreSQL; on SQLite the lines of an order one
	// of whose joined texts did not split.
	byColumns := func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+itemColumns+`, parcels FROM order_items WHERE order_id`+in, args...)
		if err != nil {
			return err
		}
		return scanItems(rows, byID, true)
	}
	if tx.pg {
		err = inIDChunks(tx, ids, byColumns)
		return out, err
	}
	again = again[:0]
	err = inIDChunks(tx, ids, func(in string, args []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT order_id, `+joinedItemText+` FROM order_items WHERE order_id`+in, args...)
		if err != nil {
			return err
		}
		split, err := scanJoinedItems(rows, byID)
		again = append(again, split...)
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(again)
	again = slices.Compact(again)
	for _, id := range again {
		byID[id].items = orderLines{}
	}
	err = inIDChunks(tx, again, byColumns)
	return out, err
}

const itemColumns = `order_id, sku, asin, title, quantity, price, tax, status, promotion`

// scanItems reads order_items rows (itemColumns, and parcels after them when parcels is
// set: the lists show lines without them) into their orders, and closes rows.
func scanItems(rows *sql.Rows, byID map[int64]*storedOrder, parcels bool) error {
	defer rows.Close()
	// One set of destinations for every row: Scan overwrites each of them.
	var id int64
	var it shopcrm.OrderItem
	dest := []any{&id, &it.SKU, &it.ASIN, &it.Title, &it.Quantity, &it.Price, &it.Tax, &it.Status, &it.Promotion, &it.Parcels}
	if !parcels {
		dest = dest[:len(dest)-1]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		byID[id].items.put(it)
	}
	return rows.Err()
}

// scanOrder reads an order row (id, then orderColumns) into o.
func scanOrder(r scanner, o *shopcrm.Order) error {
	var cid sql.NullInt64
	var pt, ut int64
	err := r.Scan(&o.ID, &o.SID, &o.Number, &cid, &o.BuyerEmail, &o.BuyerName, &pt, &ut, &o.Status,
		&o.Fulfilment, &o.SalesChannel, &o.Currency, &o.CouponCode)
	if cid.Valid {
		id := cid.Int64
		o.CustomerID = &id
	}
	o.PurchaseTime, o.UpdatedTime = fromUnix(pt), fromUnix(ut)
	return err
}
