package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/shopcrm/shopcrm"
)

const afterSaleColumns = `item_identifier, sid, order_number, type, sku, asin, quantity, reason, after_time, update_time,
	status, currency, amount_details, cost_details, lpn, rma, carrier, waybill, exchange_order, buyer_note, inventory_attributes`

func afterSaleArgs(a *shopcrm.AfterSale) []any {
	ad, _ := json.Marshal(nonNilDetails(a.AmountDetails))
	cd, _ := json.Marshal(nonNilDetails(a.CostDetails))
	return []any{a.ItemIdentifier, a.SID, a.OrderNumber, a.Type, a.SKU, a.ASIN, a.Quantity, a.Reason, unix(a.Time),
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
// the customers whose orders they belong to.
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
	err := s.inWriteTx(ctx, func(tx *wtx) error {
		res = shopcrm.WriteResult{}
		var keys []orderKey
		for _, a := range items {
			args := afterSaleArgs(a)
			var old []any = make([]any, len(args))
			var oldVals = make([]sql.NullString, len(args))
			for i := range old {
				old[i] = &oldVals[i]
			}
			err := tx.QueryRowContext(ctx, `SELECT `+afterSaleColumns+` FROM after_sales WHERE item_identifier = $1`, a.ItemIdentifier).Scan(old...)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := tx.ExecContext(ctx, `INSERT INTO after_sales (`+afterSaleColumns+`) VALUES (`+placeholders(1, len(args))+`)`, args...); err != nil {
					return err
				}
				res.Inserted++
			case err != nil:
				return err
			case sameRow(oldVals, args):
				res.Unchanged++
				continue
			default:
				if _, err := tx.ExecContext(ctx, `UPDATE after_sales SET (`+afterSaleColumns+`) = (`+placeholders(1, len(args))+`)
					WHERE item_identifier = $1`, args...); err != nil {
					return err
				}
				res.Updated++
				keys = append(keys, orderKey{oldSID(oldVals), oldVals[2].String})
			}
			keys = append(keys, orderKey{a.SID, a.OrderNumber})
		}
		ids, err := customersOfOrders(ctx, tx, keys)
		if err != nil {
			return err
		}
		return s.refreshFigures(ctx, tx, ids)
	})
	return res, err
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
	seen := map[orderKey]bool{}
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		var id sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT customer_id FROM orders WHERE sid = $1 AND number = $2`, k.sid, k.number).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if id.Valid {
			ids = append(ids, id.Int64)
		}
	}
	return ids, nil
}
