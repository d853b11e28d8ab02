package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// orderFacts is one order reduced to what the figures need.
type orderFacts struct {
	id, customer, sid int64
	number            string
	purchase          int64
	currency          string
	units             int64
	amount            shopcrm.Amount
	counted           bool // has a non-cancelled line and is not multi-channel
	refundUnits       int64
	returnUnits       int64
	exchangeUnits     int64
	refunds, returns  bool
	exchanges         bool
	feedback, bad     bool
}

// before orders a customer's orders by purchase time, and orders bought in the same second
// by shop and order number: which of them is the first and the last purchase does not
// depend on the order in which they were imported (the ids).
func (o *orderFacts) before(p *orderFacts) bool {
	if o.purchase != p.purchase {
		return o.purchase < p.purchase
	}
	if o.sid != p.sid {
		return o.sid < p.sid
	}
	return o.number < p.number
}

// refreshFigures recomputes the figures of the customers from their stored rows and writes
// the customer_figures rows that differ. Ingest calls it for the customers a batch touched, Reindex for
// all, so both paths produce the same figures by construction.
func (s *Store) refreshFigures(ctx context.Context, tx *wtx, ids []int64) error {
	if len(ids) == 0 || tx.deferFigures(ids...) {
		return nil
	}
	ids = uniqueIDs(ids)
	rates, shops, err := loadConversion(ctx, tx)
	if err != nil {
		return err
	}
	for len(ids) > 0 {
		n := min(len(ids), inChunk)
		if err := s.refreshChunk(ctx, tx, ids[:n], rates, shops); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

func (s *Store) refreshChunk(ctx context.Context, tx *wtx, ids []int64, rates rateTable, shops map[int64]*shopcrm.Shop) error {
	in, args := tx.inIDs(1, ids)
	orders, err := loadOrderFacts(ctx, tx, in, args, nil)
	if err != nil {
		return err
	}
	keys, err := loadCustomerKeys(ctx, tx, in, args)
	if err != nil {
		return err
	}
	stored, err := loadFigureRows(ctx, tx, in, args)
	if err != nil {
		return err
	}
	var rows []*figureRow
	byCustomer := map[int64][]*orderFacts{}
	for _, o := range orders {
		if o.counted {
			byCustomer[o.customer] = append(byCustomer[o.customer], o)
		}
	}
	for cid, os := range byCustomer {
		if key, ok := keys[cid]; ok { // else deleted since its orders were read
			rows = append(rows, buildFigures(cid, key, os, rates, shops)...)
		}
	}
	return writeFigures(ctx, tx, stored, rows)
}

// loadConversion reads what folding orders into figures converts with: the rates and the
// shops (currencies and time zones).
func loadConversion(ctx context.Context, q querier) (rateTable, map[int64]*shopcrm.Shop, error) {
	rates, err := loadRates(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	shops, err := shopMap(ctx, q)
	return rates, shops, err
}

// loadOrderFacts reads the facts of the orders of the customers in the IN list; with sids, of
// their orders in those shops only.
func loadOrderFacts(ctx context.Context, tx *wtx, in string, args []any, sids []int64) (map[int64]*orderFacts, error) {
	shops := ""
	switch {
	case sids == nil:
	case tx.pg:
		shops = fmt.Sprintf(" AND o.sid = ANY($%d::bigint[])", len(args)+1)
		args = append(args[:len(args):len(args)], sids)
	default:
		shops = " AND o.sid IN (" + tx.params(len(args)+1, len(sids)) + ")"
		args = append(args[:len(args):len(args)], int64Args(sids)...)
	}
	rows, err := tx.QueryContext(ctx, `SELECT o.id, o.customer_id, o.sid, o.number, o.purchase_time, o.currency,
		o.status, o.sales_channel, o.lines FROM orders o WHERE o.customer_id`+in+shops, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	orders := map[int64]*orderFacts{}
	for rows.Next() {
		var o orderFacts
		var status, channel, lines string
		if err := rows.Scan(&o.id, &o.customer, &o.sid, &o.number, &o.purchase, &o.currency, &status, &channel,
			&lines); err != nil {
			return nil, err
		}
		items, err := storedLines(o.id, lines)
		if err != nil {
			return nil, err
		}
		o.addLines(items, status, channel)
		orders[o.id] = &o
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// CROSS JOIN keeps SQLite from reading after-sales and feedback by shop: with the shops
	// filter on orders it would carry the filter over to them, and read a shop's all.
	as, err := tx.QueryContext(ctx, `SELECT o.id, a.type, sum(a.quantity) FROM orders o CROSS JOIN after_sales a
		WHERE a.sid = o.sid AND a.order_number = o.number AND o.customer_id`+in+shops+` GROUP BY o.id, a.type`, args...)
	if err != nil {
		return nil, err
	}
	defer as.Close()
	for as.Next() {
		var id, units int64
		var typ int
		if err := as.Scan(&id, &typ, &units); err != nil {
			return nil, err
		}
		o := orders[id]
		switch typ {
		case shopcrm.AfterSaleRefund:
			o.refunds, o.refundUnits = true, units
		case shopcrm.AfterSaleReturn:
			o.returns, o.returnUnits = true, units
		case shopcrm.AfterSaleExchange:
			o.exchanges, o.exchangeUnits = true, units
		}
	}
	if err := as.Err(); err != nil {
		return nil, err
	}
	fb, err := tx.QueryContext(ctx, `SELECT o.id, f.rating FROM orders o CROSS JOIN feedback f
		WHERE f.sid = o.sid AND f.order_number = o.number AND o.customer_id`+in+shops, args...)
	if err != nil {
		return nil, err
	}
	defer fb.Close()
	for fb.Next() {
		var id int64
		var rating int
		if err := fb.Scan(&id, &rating); err != nil {
			return nil, err
		}
		orders[id].feedback, orders[id].bad = true, rating <= 2
	}
	return orders, fb.Err()
}

// addLines sums an order's lines into its facts: cancelled lines count for nothing, and an
// order counts when it has another line, is not cancelled and is not multi-channel.
func (f *orderFacts) addLines(items []shopcrm.OrderItem, status, channel string) {
	lines := 0
	for i := range items {
		if strings.EqualFold(items[i].Status, "cancelled") {
			continue
		}
		f.units += items[i].Quantity
		f.amount += items[i].Price
		lines++
	}
	f.counted = lines > 0 && !strings.EqualFold(status, "cancelled") && !strings.EqualFold(channel, "non-amazon")
}

type customerKey struct{ email, name string }

// loadCustomerKeys reads the keys the figures rows of customers carry. On PostgreSQL it
// holds the customers (lockLinked) until the transaction writing their figures commits; a
// customer deleted before is missing from the map, and its figures are not written.
func loadCustomerKeys(ctx context.Context, tx *wtx, in string, args []any) (map[int64]customerKey, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(email_key, ''), full_name FROM customers WHERE id`+in+lockLinked(tx), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	keys := map[int64]customerKey{}
	for rows.Next() {
		var id int64
		var k customerKey
		if err := rows.Scan(&id, &k.email, &k.name); err != nil {
			return nil, err
		}
		k.name = strings.ToLower(k.name)
		keys[id] = k
	}
	return keys, rows.Err()
}

func uniqueIDs(ids []int64) []int64 {
	out := append([]int64(nil), ids...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	j := 0
	for i, id := range out {
		if i == 0 || id != out[j-1] {
			out[j] = id
			j++
		}
	}
	return out[:j]
}
