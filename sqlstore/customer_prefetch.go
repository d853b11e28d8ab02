package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// readCustomers reads ahead what linkCustomers and loadAppendBase read of the batch's
// buyers: their customers by e-mail, and those customers' figures rows and keys. A second
// month of shipments adds to the rows of buyers the store holds, and reading them on the
// writer was a sixth of its time.
func (p *prefetched) readCustomers(ctx context.Context, r *wtx, orders []*shopcrm.Order) error {
	found := map[string]linkedCustomer{}
	for rest := batchEmails(orders); len(rest) > 0; {
		n := min(len(rest), inChunk)
		in, args := r.inStrings(1, rest[:n])
		if err := scanLinked(ctx, r, linkedQuery+in, args, found); err != nil {
			return err
		}
		rest = rest[n:]
	}
	ids := make([]int64, 0, len(found))
	for _, c := range found {
		ids = append(ids, c.id)
	}
	slices.Sort(ids)
	p.figured = make(map[int64]bool, len(ids))
	p.figures = map[int64][][]any{}
	p.figureKeys = map[int64]customerKey{}
	for rest := ids; len(rest) > 0; {
		n := min(len(rest), inChunk)
		in, args := r.inIDs(1, rest[:n])
		rows, err := loadFigureRows(ctx, r, in, args)
		if err != nil {
			return err
		}
		for k, v := range rows {
			p.figures[k.customer] = append(p.figures[k.customer], v)
		}
		if !r.pg {
			// On PostgreSQL the writer reads the keys itself, to lock the customers.
			keys, err := loadCustomerKeys(ctx, r, in, args)
			if err != nil {
				return err
			}
			for id, k := range keys {
				p.figureKeys[id] = k
			}
		}
		for _, id := range rest[:n] {
			p.figured[id] = true
		}
		rest = rest[n:]
	}
	if !r.pg {
		p.customers = found
	}
	return nil
}

// batchEmails returns the batch's buyer e-mails as customers are keyed, each once, in order
// of first appearance.
func batchEmails(orders []*shopcrm.Order) []string {
	seen := map[string]bool{}
	var keys []string
	for _, o := range orders {
		key := buyerKey(o.BuyerEmail)
		if key != "" && !seen[key] {
			seen[key] = true
			keys = append(keys, key)
		}
	}
	return keys
}

// buyerKey is the key a buyer's e-mail finds its customer by (customers.email_key): the
// writer links by it and the read-ahead reads by it, so the two must fold alike.
func buyerKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// linkedQuery reads customers by e-mail key, an IN test to follow.
const linkedQuery = `SELECT id, email_key, full_name, mobile FROM customers WHERE email_key`

// scanLinked adds the customers query returns (linkedQuery's columns) to found.
func scanLinked(ctx context.Context, q *wtx, query string, args []any, found map[string]linkedCustomer) error {
	return scanAll(ctx, q, query, args, func(rows *sql.Rows) error {
		var key string
		var c linkedCustomer
		if err := rows.Scan(&c.id, &key, &c.name, &c.mobile); err != nil {
			return err
		}
		found[key] = c
		return nil
	})
}

// linkedAhead returns the customers of keys read ahead and still true, and the keys to
// look up now. Without a view, all of them.
func (v *aheadView) linkedAhead(keys []string) (map[string]linkedCustomer, []string) {
	found := map[string]linkedCustomer{}
	if v == nil || v.customers == nil {
		return found, keys
	}
	var again []string
	for _, key := range keys {
		if v.emailStale(key) {
			again = append(again, key)
		} else if c, ok := v.customers[key]; ok {
			found[key] = c
		}
	}
	return found, again
}

// figuresAhead moves the figures rows read ahead and still true of the customers ids into
// stored, and on SQLite their keys into keys. It returns the customers whose rows must be
// read now, and those whose keys must (on PostgreSQL, where reading them locks them).
func (v *aheadView) figuresAhead(ids []int64, stored map[figureKey][]any, keys map[int64]customerKey) (rows, keyless []int64) {
	if v == nil {
		return ids, nil
	}
	for _, id := range ids {
		k, keyed := v.figureKeys[id]
		if !v.figured[id] || v.customerStale(id) || (!keyed && v.customers != nil) {
			rows = append(rows, id)
			continue
		}
		for _, row := range v.figures[id] {
			stored[figureKey{id, row[1].(int64)}] = row
		}
		if keyed {
			keys[id] = k
		} else {
			keyless = append(keyless, id)
		}
	}
	return rows, keyless
}
