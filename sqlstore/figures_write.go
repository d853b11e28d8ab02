package sqlstore

import (
	"context"
	"slices"
	"strings"
)

// figureKey names one customer_figures row.
type figureKey struct{ customer, sid int64 }

// loadFigureRows reads the stored figures rows of the customers in the IN list, as values.
func loadFigureRows(ctx context.Context, tx *wtx, in string, args []any) (map[figureKey][]any, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+figureColumns+` FROM customer_figures WHERE customer_id`+in, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	stored := map[figureKey][]any{}
	ints := make([]int64, figureArity)
	texts := make([]string, figureArity)
	dest := make([]any, figureArity)
	for i := range dest {
		if figureText[i] {
			dest[i] = &texts[i]
		} else {
			dest[i] = &ints[i]
		}
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		v := make([]any, figureArity)
		for i := range v {
			if figureText[i] {
				v[i] = texts[i]
			} else {
				v[i] = ints[i]
			}
		}
		stored[figureKey{ints[0], ints[1]}] = v
	}
	return stored, rows.Err()
}

// figureUpsert turns a multi-row INSERT of figures into an update of the rows that exist.
var figureUpsert = func() string {
	var b strings.Builder
	b.WriteString(` ON CONFLICT (customer_id, sid) DO UPDATE SET `)
	for i, col := range strings.Split(figureColumns, ",")[2:] {
		col = strings.TrimSpace(col)
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(col + " = excluded." + col)
	}
	return b.String()
}()

// writeFigures makes the stored rows of a set of customers equal to rows, in the form they
// are stored in (storedForm): it writes the rows that differ from stored ones, and deletes
// the stored rows that rows no longer has. stored holds rows as they are stored. An import
// that adds one shop's orders leaves the buyer's other shops' rows untouched, and unchanged
// rows cost no index writes.
//
// The buyer_changes log (migration 00030) is written by triggers on the sid = 0 row; a
// customer whose only change is in a per-shop row gets its entry here.
func writeFigures(ctx context.Context, tx *wtx, stored map[figureKey][]any, rows []*figureRow) error {
	// Rows the customer has none of yet are inserted, on PostgreSQL by COPY: the 333 000 new
	// rows of a shipments report took 4.5 s by INSERT … ON CONFLICT, 3.1 s by COPY
	// (BENCHMARKS, 2026-12-05 night). Rows it has are upserted.
	var upserts, inserts [][]any
	changed := map[int64]bool{} // customer → its sid 0 row was written (the trigger logged it)
	for _, v := range storedForm(rows) {
		k := figureKey{v[0].(int64), v[1].(int64)}
		old, ok := stored[k]
		delete(stored, k)
		if ok && slices.Equal(old, v) {
			continue
		}
		if ok || tx.copy == nil {
			upserts = append(upserts, v)
		} else {
			inserts = append(inserts, v)
		}
		changed[k.customer] = changed[k.customer] || k.sid == 0
	}
	gone := make([]figureKey, 0, len(stored))
	for k := range stored {
		gone = append(gone, k)
	}
	slices.SortFunc(gone, func(a, b figureKey) int {
		if a.customer != b.customer {
			return int(a.customer - b.customer)
		}
		return int(a.sid - b.sid)
	})
	for _, k := range gone {
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_figures WHERE customer_id = $1 AND sid = $2`, k.customer, k.sid); err != nil {
			return err
		}
		changed[k.customer] = changed[k.customer] || k.sid == 0
	}
	if _, err := tx.copyInto(ctx, "customer_figures", figureColumnList, inserts); err != nil {
		return err
	}
	if err := bulkInsert(ctx, tx, `INSERT INTO customer_figures (`+figureColumns+`)`, figureArity, figureUpsert, upserts); err != nil {
		return err
	}
	unlogged := make([]int64, 0)
	for id, logged := range changed {
		if !logged {
			unlogged = append(unlogged, id)
		}
	}
	slices.Sort(unlogged)
	for _, id := range unlogged {
		if _, err := tx.ExecContext(ctx, `INSERT INTO buyer_changes (customer_id) VALUES ($1)`, id); err != nil {
			return err
		}
	}
	return nil
}

// storedForm is rows as the store keeps them: without the shop row of a customer who bought
// in one shop only, since it equals the customer's all-shops row but for the sid. Most
// buyers of a seller buy in one shop, and that row, 30 columns wide, was half the figures
// rows a shipments import wrote: leaving it out imported shipments 6 % faster (BENCHMARKS,
// 2026-12-06 evening). Readers take the row from the all-shops row, whose last_sid names
// the shop (loneShopRow); the customer_figures_expanded view (migration 00040) shows
// every row.
func storedForm(rows []*figureRow) [][]any {
	vals := make([][]any, len(rows))
	all := map[int64][]any{}
	for i, r := range rows {
		vals[i] = r.values()
		if r.sid == 0 {
			all[r.CustomerID] = vals[i]
		}
	}
	out := vals[:0]
	for _, v := range vals {
		if !isLoneShopRow(v, all[v[0].(int64)]) {
			out = append(out, v)
		}
	}
	return out
}

// figureLastSID is the position of last_sid in figureColumns.
const figureLastSID = figureArity - 1

// isLoneShopRow reports whether the shop row v is the customer's all-shops row all but for
// the sid, and so is not stored. Its own last purchase is in its shop, so all's last_sid
// names that shop.
func isLoneShopRow(v, all []any) bool {
	if all == nil || v[1].(int64) == 0 || all[figureLastSID] != v[1] {
		return false
	}
	for i := range v {
		if i != 1 && v[i] != all[i] {
			return false
		}
	}
	return true
}

// loneShopRow returns the shop row a stored all-shops row stands for when the customer has
// no stored row for the shop of its last purchase: a row left out by storedForm, as values.
// It returns nil when that row is stored (has reports whether it is).
func loneShopRow(all []any, has func(sid int64) bool) []any {
	sid := all[figureLastSID].(int64)
	if sid == 0 || has(sid) {
		return nil
	}
	v := slices.Clone(all)
	v[1] = sid
	return v
}
