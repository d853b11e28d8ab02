package sqlstore

import (
	"context"
	"database/sql"
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

// loadStoredOrders reads the stored copies of the batch's orders with their lines; on SQLite
// each order's columns as one joined text (order_joined.go).
func loadStoredOrders(ctx context.Context, tx *wtx, orders []*shopcrm.Order) (map[orderKey]*storedOrder, error) {
	keys := make([]orderKey, len(orders))
	for i, o := range orders {
		keys[i] = orderKey{o.SID, o.Number}
	}
	if tx.trusted {
		keys = tx.numbers.mayHold(keys)
	}
	out := map[orderKey]*storedOrder{}
	add := func(so *storedOrder, lines string) error {
		items, err := storedLines(so.ID, lines)
		if err != nil {
			return err
		}
		so.items = newOrderLines(items)
		out[orderKey{so.SID, so.Number}] = so
		return nil
	}
	var again []int64 // orders whose joined text did not split
	err := shopChunks(keys, func(sid int64, numbers []string) error {
		in, args := tx.inStrings(2, numbers)
		cols := orderColumns
		if !tx.pg {
			cols = joinedOrderText
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, `+cols+`, lines FROM orders WHERE sid = $1 AND number`+in,
			append([]any{sid}, args...)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var text, lines string
		for rows.Next() {
			so := &storedOrder{}
			if tx.pg {
				err = scanOrder(rows, &so.Order, &lines)
			} else if err = rows.Scan(&so.ID, &text, &lines); err == nil && !parseJoinedOrder(text, &so.Order) {
				again = append(again, so.ID)
				continue
			}
			if err == nil {
				err = add(so, lines)
			}
			if err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	err = inIDChunks(tx, again, func(in string, args []any) error {
		return scanAll(ctx, tx, `SELECT id, `+orderColumns+`, lines FROM orders WHERE id`+in, args, func(r *sql.Rows) error {
			so := &storedOrder{}
			var lines string
			if err := scanOrder(r, &so.Order, &lines); err != nil {
				return err
			}
			return add(so, lines)
		})
	})
	return out, err
}

// scanOrder reads an order row (id, then orderColumns, then what more is given) into o.
func scanOrder(r scanner, o *shopcrm.Order, more ...any) error {
	var cid sql.NullInt64
	var pt, ut int64
	err := r.Scan(append([]any{&o.ID, &o.SID, &o.Number, &cid, &o.BuyerEmail, &o.BuyerName, &pt, &ut, &o.Status,
		&o.Fulfilment, &o.SalesChannel, &o.Currency, &o.CouponCode}, more...)...)
	if cid.Valid {
		id := cid.Int64
		o.CustomerID = &id
	}
	o.PurchaseTime, o.UpdatedTime = fromUnix(pt), fromUnix(ut)
	return err
}
