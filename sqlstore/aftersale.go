package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/shopcrm/shopcrm"
)

const afterSaleColumns = `item_identifier, sid, order_number, type, sku, asin, quantity, reason, after_time, update_time,
	status, currency, amount_details, cost_details, lpn, rma, carrier, waybill, exchange_order, buyer_note, inventory_attributes`

var afterSaleArity = strings.Count(afterSaleColumns, ",") + 1

func afterSaleArgs(a *shopcrm.AfterSale) []any {
	ad, _ := json.Marshal(nonNilDetails(a.AmountDetails))
	cd, _ := json.Marshal(nonNilDetails(a.CostDetails))
	return []any{a.ItemIdentifier, a.SID, a.OrderNumber, int64(a.Type), a.SKU, a.ASIN, a.Quantity, a.Reason, unix(a.Time),
		unix(a.DataUpdateTime), a.Status, a.Currency, string(ad), string(cd), a.LPN, a.RMA, a.Carrier, a.Waybill,
		a.ExchangeOrderNumber, a.BuyerNote, a.InventoryAttributes}
}

func nonNilDetails(d []shopcrm.MoneyDetail) []shopcrm.MoneyDetail {
	if d == nil {
		return []shopcrm.MoneyDetail{}
	}
	return d
}

// UpsertAfterSales writes after-sale items by item_identifier and refreshes the figures of
// the customers whose orders they belong to. The stored rows are read and the new ones
// written a chunk at a time; a changed row is updated on its own (re-imports change few).
func (s *Store) UpsertAfterSales(ctx context.Context, items []*shopcrm.AfterSale) (shopcrm.WriteResult, error) {
	var res shopcrm.WriteResult
	for _, a := range items {
		if a.DataUpdateTime.IsZero() {
			a.DataUpdateTime = a.Time
		}
		if err := a.Validate(); err != nil {
			return res, err
		}
	}
	items = lastOfEach(items, func(a *shopcrm.AfterSale) string { return a.ItemIdentifier })
	err := s.inWriteTx(ctx, func(tx *wtx) error {
		res = shopcrm.WriteResult{}
		stored, err := loadAfterSales(ctx, tx, items)
		if err != nil {
			return err
		}
		var keys []orderKey // the orders whose customers are refreshed
		var fresh [][]any
		var added []*shopcrm.AfterSale
		for _, a := range items {
			args := afterSaleArgs(a)
			old, ok := stored[a.ItemIdentifier]
			switch {
			case !ok:
				fresh = append(fresh, args)
				res.Inserted++
				added = append(added, a)
				continue
			case sameRow(old, args):
				res.Unchanged++
				continue
			default:
				if _, err := tx.ExecContext(ctx, `UPDATE after_sales SET (`+afterSaleColumns+`) = (`+placeholders(1, len(args))+`)
					WHERE item_identifier = $1`, args...); err != nil {
					return err
				}
				res.Updated++
				keys = append(keys, orderKey{oldSID(old), old[2].String})
			}
			keys = append(keys, orderKey{a.SID, a.OrderNumber})
		}
		if err := bulkInsert(ctx, tx, `INSERT INTO after_sales (`+afterSaleColumns+`)`, afterSaleArity, "", fresh); err != nil {
			return err
		}
		addedKeys := make([]orderKey, len(added))
		for i, a := range added {
			addedKeys[i] = orderKey{a.SID, a.OrderNumber}
		}
		ids, err := tx.customersAfter(ctx, addedKeys, func(i int, o *orderFacts) { o.addAfterSale(added[i]) }, keys)
		if err != nil {
			return err
		}
		return s.refreshFigures(ctx, tx, ids)
	})
	return res, err
}

// lastOfEach keeps the last of the items that share a key, in the order of the kept ones: one
// multi-row statement must not write a row twice, and the last copy is what writing them one
// by one would leave.
func lastOfEach[T any](items []T, key func(T) string) []T {
	last := make(map[string]int, len(items))
	for i, it := range items {
		last[key(it)] = i
	}
	if len(last) == len(items) {
		return items
	}
	out := make([]T, 0, len(last))
	for i, it := range items {
		if last[key(it)] == i {
			out = append(out, it)
		}
	}
	return out
}

// loadAfterSales reads the stored rows of the items, as text, by item identifier.
func loadAfterSales(ctx context.Context, tx *wtx, items []*shopcrm.AfterSale) (map[string][]sql.NullString, error) {
	out := map[string][]sql.NullString{}
	ids := make([]string, len(items))
	for i, a := range items {
		ids[i] = a.ItemIdentifier
	}
	for len(ids) > 0 {
		n := min(len(ids), inChunk)
		in, args := tx.inStrings(1, ids[:n])
		rows, err := tx.QueryContext(ctx, `SELECT `+afterSaleColumns+` FROM after_sales WHERE item_identifier`+in, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			vals := make([]sql.NullString, afterSaleArity)
			dest := make([]any, afterSaleArity)
			for i := range dest {
				dest[i] = &vals[i]
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, err
			}
			out[vals[0].String] = vals
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// sameRow compares a stored row, scanned as text, with the arguments that would write it.
func sameRow(stored []sql.NullString, args []any) bool {
	for i, a := range args {
		if stored[i].String != textOf(a) {
			return false
		}
	}
	return true
}

func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return itoa(int64(x))
	case int64:
		return itoa(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

func itoa(v int64) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func oldSID(vals []sql.NullString) int64 {
	var sid int64
	json.Unmarshal([]byte(vals[1].String), &sid)
	return sid
}

// customersOfOrders returns the customers of the orders with the keys.
func customersOfOrders(ctx context.Context, tx *wtx, keys []orderKey) ([]int64, error) {
	var ids []int64
	err := shopChunks(keys, func(sid int64, numbers []string) error {
		in, args := tx.inStrings(2, numbers)
		more, err := queryIDs(ctx, tx, `SELECT customer_id FROM orders WHERE sid = $1 AND number`+in+`
			AND customer_id IS NOT NULL`, append([]any{sid}, args...)...)
		ids = append(ids, more...)
		return err
	})
	return ids, err
}
