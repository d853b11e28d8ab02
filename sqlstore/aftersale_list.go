package sqlstore

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// afterSaleHit is a matching after-sale item reduced to what grouping and sorting need.
type afterSaleHit struct {
	id, sid int64
	order   string
	at      int64
}

type afterSaleGroup struct {
	key   orderKey
	at    int64
	minID int64
	items []int64
}

// FindAfterSaleOrders lists orders with after-sale items matching the filter, one record
// per (shop, order) holding its matching items, latest first. Start and End are calendar
// days; each shop's days are taken in its own time zone, so a filter over shops in several
// zones selects each shop's local days.
func (s *Store) FindAfterSaleOrders(ctx context.Context, f shopcrm.AfterSaleFilter) ([]*shopcrm.AfterSaleOrder, int, error) {
	shops, err := shopMap(ctx, s.read)
	if err != nil {
		return nil, 0, err
	}
	hits, err := s.afterSaleHits(ctx, f, shops)
	if err != nil {
		return nil, 0, err
	}
	groups := map[orderKey]*afterSaleGroup{}
	for _, h := range hits {
		k := orderKey{h.sid, h.order}
		g := groups[k]
		if g == nil {
			g = &afterSaleGroup{key: k, minID: h.id}
			groups[k] = g
		}
		g.items = append(g.items, h.id)
		g.at = max(g.at, h.at)
		g.minID = min(g.minID, h.id)
	}
	list := make([]*afterSaleGroup, 0, len(groups))
	for _, g := range groups {
		list = append(list, g)
	}
	// Latest first; the smallest item id breaks ties so that pages never overlap.
	sort.Slice(list, func(i, j int) bool {
		if list[i].at != list[j].at {
			return list[i].at > list[j].at
		}
		return list[i].minID < list[j].minID
	})
	total := len(list)
	if f.Offset >= len(list) {
		return []*shopcrm.AfterSaleOrder{}, total, nil
	}
	list = list[f.Offset:min(len(list), f.Offset+f.Limit)]
	out, err := s.loadAfterSaleOrders(ctx, list, shops)
	return out, total, err
}

func (s *Store) afterSaleHits(ctx context.Context, f shopcrm.AfterSaleFilter, shops map[int64]*shopcrm.Shop) ([]afterSaleHit, error) {
	sids := f.SIDs
	if len(sids) == 0 {
		for sid := range shops {
			sids = append(sids, sid)
		}
	}
	col := "a.after_time"
	from := "after_sales a"
	switch f.DateType {
	case shopcrm.AfterSaleByPurchase:
		col, from = "o.purchase_time", "orders o JOIN after_sales a ON a.sid = o.sid AND a.order_number = o.number"
	case shopcrm.AfterSaleByDataUpdate:
		col = "a.update_time"
	}
	var where []string
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + itoa(int64(len(args))) }
	var perShop []string
	for _, sid := range sids {
		sh := shops[sid]
		if sh == nil {
			continue
		}
		loc := sh.Location()
		lo := time.Date(f.Start.Year(), f.Start.Month(), f.Start.Day(), 0, 0, 0, 0, loc).Unix()
		hi := time.Date(f.End.Year(), f.End.Month(), f.End.Day(), 0, 0, 0, 0, loc).Unix()
		prefix := "a"
		if f.DateType == shopcrm.AfterSaleByPurchase {
			prefix = "o"
		}
		perShop = append(perShop, "("+prefix+".sid = "+arg(sid)+" AND "+col+" >= "+arg(lo)+" AND "+col+" < "+arg(hi)+")")
	}
	if len(perShop) == 0 {
		return nil, nil
	}
	where = append(where, "("+strings.Join(perShop, " OR ")+")")
	if len(f.OrderNumbers) > 0 {
		// The order ids select a handful of rows through their index; the per-shop time
		// ranges then only filter them.
		from = strings.Replace(from, "after_sales a", "after_sales a INDEXED BY after_sales_order_number", 1)
		if s.pg {
			from = strings.Replace(from, " INDEXED BY after_sales_order_number", "", 1)
		}
	}
	if len(f.Types) > 0 {
		var ts []string
		for _, t := range f.Types {
			ts = append(ts, arg(t))
		}
		where = append(where, "a.type IN ("+strings.Join(ts, ",")+")")
	}
	if len(f.OrderNumbers) > 0 {
		var ns []string
		for _, n := range f.OrderNumbers {
			ns = append(ns, arg(n))
		}
		where = append(where, "a.order_number IN ("+strings.Join(ns, ",")+")")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.sid, a.order_number, `+col+` FROM `+from+` WHERE `+strings.Join(where, " AND "), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []afterSaleHit
	for rows.Next() {
		var h afterSaleHit
		if err := rows.Scan(&h.id, &h.sid, &h.order, &h.at); err != nil {
			return nil, err
		}
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// loadAfterSaleOrders reads the page's items, orders, order lines and products in a few
// set-based queries.
func (s *Store) loadAfterSaleOrders(ctx context.Context, page []*afterSaleGroup, shops map[int64]*shopcrm.Shop) ([]*shopcrm.AfterSaleOrder, error) {
	var itemIDs []int64
	for _, g := range page {
		itemIDs = append(itemIDs, g.items...)
	}
	items, err := s.afterSalesByID(ctx, itemIDs)
	if err != nil {
		return nil, err
	}
	orders, err := s.ordersByKey(ctx, page)
	if err != nil {
		return nil, err
	}
	products, err := s.productsFor(ctx, items)
	if err != nil {
		return nil, err
	}
	out := make([]*shopcrm.AfterSaleOrder, len(page))
	for i, g := range page {
		rec := &shopcrm.AfterSaleOrder{ID: g.minID, Shop: shops[g.key.sid], SortTime: time.Unix(g.at, 0).UTC()}
		if so := orders[g.key]; so != nil {
			rec.ID, rec.Order = so.ID, &so.Order
			for _, it := range so.items {
				if !so.Cancelled(&it) {
					rec.OrderTotal += it.Price
				}
			}
		}
		ids := append([]int64(nil), g.items...)
		sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
		for n, id := range ids {
			a := items[id]
			it := &shopcrm.AfterSaleItem{AfterSale: *a, RowIndex: n + 1, Product: products[orderKey{a.SID, a.SKU}]}
			if so := orders[g.key]; so != nil {
				if line, ok := so.items[a.SKU]; ok {
					it.Title = line.Title
					if it.ASIN == "" {
						it.ASIN = line.ASIN
					}
				}
			}
			rec.Items = append(rec.Items, it)
		}
		out[i] = rec
	}
	return out, nil
}

func (s *Store) afterSalesByID(ctx context.Context, ids []int64) (map[int64]*shopcrm.AfterSale, error) {
	out := make(map[int64]*shopcrm.AfterSale, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		rows, err := s.read.QueryContext(ctx, `SELECT id, `+afterSaleColumns+` FROM after_sales WHERE id IN (`+placeholders(1, n)+`)`, int64Args(ids[:n])...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var a shopcrm.AfterSale
			var at, ut int64
			var ad, cd string
			if err := rows.Scan(&a.ID, &a.ItemIdentifier, &a.SID, &a.OrderNumber, &a.Type, &a.SKU, &a.ASIN, &a.Quantity, &a.Reason,
				&at, &ut, &a.Status, &a.Currency, &ad, &cd, &a.LPN, &a.RMA, &a.Carrier, &a.Waybill, &a.ExchangeOrderNumber,
				&a.BuyerNote, &a.InventoryAttributes); err != nil {
				rows.Close()
				return nil, err
			}
			a.Time, a.DataUpdateTime = fromUnix(at), fromUnix(ut)
			json.Unmarshal([]byte(ad), &a.AmountDetails)
			json.Unmarshal([]byte(cd), &a.CostDetails)
			out[a.ID] = &a
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

func (s *Store) ordersByKey(ctx context.Context, page []*afterSaleGroup) (map[orderKey]*storedOrder, error) {
	out := map[orderKey]*storedOrder{}
	byID := map[int64]*storedOrder{}
	for i := 0; i < len(page); i += 200 {
		chunk := page[i:min(len(page), i+200)]
		var conds []string
		var args []any
		for _, g := range chunk {
			args = append(args, g.key.sid, g.key.number)
			conds = append(conds, "(sid = $"+itoa(int64(len(args)-1))+" AND number = $"+itoa(int64(len(args)))+")")
		}
		rows, err := s.read.QueryContext(ctx, `SELECT id, `+orderColumns+` FROM orders WHERE `+strings.Join(conds, " OR "), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			o, err := scanOrder(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			so := &storedOrder{Order: *o, items: map[string]shopcrm.OrderItem{}}
			out[orderKey{o.SID, o.Number}], byID[o.ID] = so, so
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	ids := make([]int64, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		rows, err := s.read.QueryContext(ctx, `SELECT `+itemColumns+`
			FROM order_items WHERE order_id IN (`+placeholders(1, n)+`)`, int64Args(ids[:n])...)
		if err != nil {
			return nil, err
		}
		if err := scanItems(rows, byID); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// productsFor reads the catalogue entries of the items' SKUs, keyed (sid, msku).
func (s *Store) productsFor(ctx context.Context, items map[int64]*shopcrm.AfterSale) (map[orderKey]*shopcrm.Product, error) {
	out := map[orderKey]*shopcrm.Product{}
	var keys []orderKey
	seen := map[orderKey]bool{}
	for _, a := range items {
		k := orderKey{a.SID, a.SKU}
		if a.SKU != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for i := 0; i < len(keys); i += 200 {
		var conds []string
		var args []any
		for _, k := range keys[i:min(len(keys), i+200)] {
			args = append(args, k.sid, k.number)
			conds = append(conds, "(sid = $"+itoa(int64(len(args)-1))+" AND msku = $"+itoa(int64(len(args)))+")")
		}
		rows, err := s.read.QueryContext(ctx, `SELECT sid, msku, asin, local_sku, local_name, title, small_image_url FROM products
			WHERE `+strings.Join(conds, " OR "), args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var p shopcrm.Product
			if err := rows.Scan(&p.SID, &p.MSKU, &p.ASIN, &p.LocalSKU, &p.LocalName, &p.Title, &p.SmallImageURL); err != nil {
				rows.Close()
				return nil, err
			}
			out[orderKey{p.SID, p.MSKU}] = &p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
