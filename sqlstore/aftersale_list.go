package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// FindAfterSaleOrders lists the orders that have after-sale items matching the filter: one
// record per (shop, order) holding its matching items, latest first, and the number of such
// records.
//
// Start and End are calendar days, read in their own location (midnight UTC and midnight
// in a shop's zone both name that day); a zero one leaves that side open. The store turns
// them into instants per shop: each shop's window runs from Start 00:00 to End 00:00 in the
// shop's zone. The conversion is here, not in the handler, because one request spans shops
// in several zones and one ranking must page across all of them.
//
// A record's time is the latest filtered time of its matching items (after time for date
// type 1, data update time for 3) or the order's purchase time (2); records are sorted by it,
// descending, then by id, the smallest id of their matching items, so pages never overlap.
// Limit 0 returns the total alone. The statements share one read transaction, so the page
// and the total come from the same snapshot while imports write.
func (s *Store) FindAfterSaleOrders(ctx context.Context, f shopcrm.AfterSaleFilter) ([]*shopcrm.AfterSaleOrder, int, error) {
	tx, err := s.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	shops, err := shopMap(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	hits, err := s.afterSaleHits(ctx, tx, f, shops)
	if err != nil {
		return nil, 0, err
	}
	records := groupHits(hits)
	total := len(records)
	page := records[min(max(f.Offset, 0), total):min(max(f.Offset, 0)+max(f.Limit, 0), total)]
	out, err := s.loadAfterSalePage(ctx, tx, page, shops)
	return out, total, err
}

// afterSaleHit is one matching item, reduced to what grouping and sorting need.
type afterSaleHit struct {
	id, sid, at int64
	order       string
}

// afterSaleRecord is one record of the list before its rows are loaded.
type afterSaleRecord struct {
	key   orderKey
	at    int64
	id    int64 // the smallest item id: the record's id and tie-breaker
	items []int64
}

// groupHits folds the hits into records, sorted for paging.
func groupHits(hits []afterSaleHit) []*afterSaleRecord {
	byKey := make(map[orderKey]*afterSaleRecord, len(hits))
	records := make([]*afterSaleRecord, 0, len(hits))
	for _, h := range hits {
		k := orderKey{h.sid, h.order}
		r := byKey[k]
		if r == nil {
			r = &afterSaleRecord{key: k, at: h.at, id: h.id}
			byKey[k] = r
			records = append(records, r)
		}
		r.items = append(r.items, h.id)
		r.at, r.id = max(r.at, h.at), min(r.id, h.id)
	}
	slices.SortFunc(records, func(a, b *afterSaleRecord) int {
		if a.at != b.at {
			return cmp.Compare(b.at, a.at)
		}
		return cmp.Compare(a.id, b.id)
	})
	return records
}

// afterSaleTimeColumns are the after_sales columns each date type filters on; purchase_time
// is the order's, copied by the triggers of migration 00032.
var afterSaleTimeColumns = map[int]string{
	shopcrm.AfterSaleByTime:       "after_time",
	shopcrm.AfterSaleByPurchase:   "purchase_time",
	shopcrm.AfterSaleByDataUpdate: "update_time",
}

// shopWindow is the [lo, hi) window in unix seconds of the shops sharing a time zone.
type shopWindow struct {
	lo, hi int64
	sids   []int64
}

// afterSaleWindows turns the filter's days into per-shop UTC bounds, one window per
// distinct pair of bounds.
func afterSaleWindows(f shopcrm.AfterSaleFilter, shops map[int64]*shopcrm.Shop) []*shopWindow {
	sids := slices.Clone(f.SIDs)
	if len(sids) == 0 {
		for sid := range shops {
			sids = append(sids, sid)
		}
	}
	slices.Sort(sids)
	sids = slices.Compact(sids)
	var out []*shopWindow
	for _, sid := range sids {
		sh := shops[sid]
		if sh == nil {
			continue
		}
		lo, hi := localMidnight(f.Start, sh, math.MinInt64), localMidnight(f.End, sh, math.MaxInt64)
		i := slices.IndexFunc(out, func(w *shopWindow) bool { return w.lo == lo && w.hi == hi })
		if i < 0 {
			out = append(out, &shopWindow{lo: lo, hi: hi})
			i = len(out) - 1
		}
		out[i].sids = append(out[i].sids, sid)
	}
	return out
}

// localMidnight is the instant the day of t begins in the shop's zone, or def for no day.
func localMidnight(t time.Time, sh *shopcrm.Shop, def int64) int64 {
	if t.IsZero() {
		return def
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, sh.Location()).Unix()
}

// afterSaleHits reads the matching items from the list indexes of migration 00032 alone:
// one range scan per time zone, or, with order ids, the order-number index and a check of
// the windows here.
func (s *Store) afterSaleHits(ctx context.Context, q querier, f shopcrm.AfterSaleFilter, shops map[int64]*shopcrm.Shop) ([]afterSaleHit, error) {
	col, ok := afterSaleTimeColumns[f.DateType]
	if !ok {
		col = afterSaleTimeColumns[shopcrm.AfterSaleByTime]
	}
	windows := afterSaleWindows(f, shops)
	if len(windows) == 0 {
		return nil, nil
	}
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	types := ""
	if len(f.Types) > 0 {
		var ps []string
		for _, t := range f.Types {
			ps = append(ps, arg(t))
		}
		types = " AND type IN (" + strings.Join(ps, ",") + ")"
	}
	var query string
	if len(f.OrderNumbers) > 0 {
		set, v := s.inStrings(len(args)+1, f.OrderNumbers)
		args = append(args, v)
		query = `SELECT id, sid, order_number, ` + col + ` FROM after_sales WHERE order_number IN (` + set + `)` + types
	} else {
		var parts []string
		for _, w := range windows {
			var ps []string
			for _, sid := range w.sids {
				ps = append(ps, arg(sid))
			}
			parts = append(parts, `SELECT id, sid, order_number, `+col+` FROM after_sales WHERE sid IN (`+strings.Join(ps, ",")+`)
				AND `+col+` >= `+arg(w.lo)+` AND `+col+` < `+arg(w.hi)+types)
		}
		query = strings.Join(parts, " UNION ALL ")
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	bySID := map[int64]*shopWindow{}
	for _, w := range windows {
		for _, sid := range w.sids {
			bySID[sid] = w
		}
	}
	var hits []afterSaleHit
	for rows.Next() {
		var h afterSaleHit
		var at sql.NullInt64 // purchase_time is NULL while the order is unknown
		if err := rows.Scan(&h.id, &h.sid, &h.order, &at); err != nil {
			return nil, err
		}
		// The order-id lookup checks the shop and the window here; the range scans did.
		if w := bySID[h.sid]; at.Valid && w != nil && at.Int64 >= w.lo && at.Int64 < w.hi {
			h.at = at.Int64
			hits = append(hits, h)
		}
	}
	return hits, rows.Err()
}

// loadAfterSalePage reads the page's items with their products and order ids, then the
// orders and their lines: three statements whatever the page size.
func (s *Store) loadAfterSalePage(ctx context.Context, q querier, page []*afterSaleRecord, shops map[int64]*shopcrm.Shop) ([]*shopcrm.AfterSaleOrder, error) {
	out := make([]*shopcrm.AfterSaleOrder, len(page))
	if len(page) == 0 {
		return out, nil
	}
	var ids []int64
	for _, r := range page {
		ids = append(ids, r.items...)
	}
	items, orderIDs, err := s.afterSaleItems(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	orders, err := s.ordersByID(ctx, q, orderIDs)
	if err != nil {
		return nil, err
	}
	for i, r := range page {
		rec := &shopcrm.AfterSaleOrder{ID: r.id, Shop: shops[r.key.sid], SortTime: time.Unix(r.at, 0).UTC()}
		slices.Sort(r.items)
		for _, id := range r.items {
			it := items[id]
			if it == nil {
				continue // deleted since the hits were read
			}
			so := orders[orderIDs[id]]
			if so != nil && rec.Order == nil {
				rec.Order = &so.Order
				for _, line := range so.items.all() {
					if !so.Cancelled(&line) {
						rec.OrderTotal += line.Price
					}
				}
			}
			if so != nil {
				if line, ok := so.items.get(it.SKU); ok {
					it.Title = line.Title
					if it.ASIN == "" {
						it.ASIN = line.ASIN
					}
				}
			}
			it.RowIndex = len(rec.Items) + 1
			rec.Items = append(rec.Items, it)
		}
		out[i] = rec
	}
	return out, nil
}

// listAfterSaleColumns are afterSaleColumns of the after_sales alias a, for joins.
var listAfterSaleColumns = qualify("a", afterSaleColumns)

// qualify prefixes each column of a comma list with a table alias.
func qualify(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// afterSaleItems reads after-sale items by id with their catalogue entries (sid, msku) and
// the ids of their orders (item id → order id, absent while the order is unknown).
func (s *Store) afterSaleItems(ctx context.Context, q querier, ids []int64) (map[int64]*shopcrm.AfterSaleItem, map[int64]int64, error) {
	set, arg := s.inIDs(1, ids)
	rows, err := q.QueryContext(ctx, `SELECT a.id, `+listAfterSaleColumns+`, o.id, p.msku IS NOT NULL,
			COALESCE(p.asin, ''), COALESCE(p.local_sku, ''), COALESCE(p.local_name, ''), COALESCE(p.title, ''), COALESCE(p.small_image_url, '')
		FROM after_sales a
			LEFT JOIN orders o ON o.sid = a.sid AND o.number = a.order_number
			LEFT JOIN products p ON p.sid = a.sid AND p.msku = a.sku
		WHERE a.id IN (`+set+`)`, arg)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	items := make(map[int64]*shopcrm.AfterSaleItem, len(ids))
	orders := make(map[int64]int64, len(ids))
	for rows.Next() {
		it := &shopcrm.AfterSaleItem{}
		a, p := &it.AfterSale, &shopcrm.Product{}
		var at, ut int64
		var ad, cd string
		var order sql.NullInt64
		var hasProduct bool
		if err := rows.Scan(&a.ID, &a.ItemIdentifier, &a.SID, &a.OrderNumber, &a.Type, &a.SKU, &a.ASIN, &a.Quantity, &a.Reason,
			&at, &ut, &a.Status, &a.Currency, &ad, &cd, &a.LPN, &a.RMA, &a.Carrier, &a.Waybill, &a.ExchangeOrderNumber,
			&a.BuyerNote, &a.InventoryAttributes, &order, &hasProduct, &p.ASIN, &p.LocalSKU, &p.LocalName, &p.Title, &p.SmallImageURL); err != nil {
			return nil, nil, err
		}
		a.Time, a.DataUpdateTime = fromUnix(at), fromUnix(ut)
		if a.AmountDetails, err = parseDetails(ad); err != nil {
			return nil, nil, fmt.Errorf("after-sale %d amount_details: %w", a.ID, err)
		}
		if a.CostDetails, err = parseDetails(cd); err != nil {
			return nil, nil, fmt.Errorf("after-sale %d cost_details: %w", a.ID, err)
		}
		if hasProduct {
			p.SID, p.MSKU = a.SID, a.SKU
			it.Product = p
		}
		if order.Valid {
			orders[a.ID] = order.Int64
		}
		items[a.ID] = it
	}
	return items, orders, rows.Err()
}

// parseDetails reads a stored detail array. The layout afterSaleArgs writes is read
// directly, since encoding/json took a tenth of a 1000-record page; anything else (older
// rows, escaped text) goes through encoding/json.
func parseDetails(s string) ([]shopcrm.MoneyDetail, error) {
	if s == "[]" || s == "" {
		return nil, nil
	}
	if d, ok := scanDetails(s); ok {
		return d, nil
	}
	var d []shopcrm.MoneyDetail
	err := json.Unmarshal([]byte(s), &d)
	return d, err
}

// scanDetails reads exactly `[{"type":"T","amount":N},…]`, or reports false.
func scanDetails(s string) ([]shopcrm.MoneyDetail, bool) {
	var out []shopcrm.MoneyDetail
	s, ok := strings.CutPrefix(s, "[")
	for ok {
		var typ, amount string
		if s, ok = strings.CutPrefix(s, `{"type":"`); !ok {
			break
		}
		if typ, s, ok = strings.Cut(s, `","amount":`); !ok || !plainText(typ) {
			break
		}
		if amount, s, ok = strings.Cut(s, "}"); !ok || !jsonInteger(amount) {
			break
		}
		n, err := strconv.ParseInt(amount, 10, 64)
		if err != nil {
			break
		}
		out = append(out, shopcrm.MoneyDetail{Type: typ, Amount: shopcrm.Amount(n)})
		if s == "]" {
			return out, true
		}
		s, ok = strings.CutPrefix(s, ",")
	}
	return nil, false
}

// plainText reports whether a JSON string holds printable ASCII needing no escape.
func plainText(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// jsonInteger reports whether s is an integer as JSON writes it: no sign but '-', no
// leading zero.
func jsonInteger(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" || (s[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ordersByID reads orders and their lines by order id (the values of ids).
func (s *Store) ordersByID(ctx context.Context, q querier, ids map[int64]int64) (map[int64]*storedOrder, error) {
	byID := make(map[int64]*storedOrder, len(ids))
	if len(ids) == 0 {
		return byID, nil
	}
	list := make([]int64, 0, len(ids))
	for _, id := range ids {
		list = append(list, id)
	}
	slices.Sort(list)
	list = slices.Compact(list)
	set, arg := s.inIDs(1, list)
	rows, err := q.QueryContext(ctx, `SELECT id, `+orderColumns+`, lines FROM orders WHERE id IN (`+set+`)`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines string
	for rows.Next() {
		so := &storedOrder{}
		if err := scanOrder(rows, &so.Order, &lines); err != nil {
			return nil, err
		}
		items, err := storedLines(so.ID, lines)
		if err != nil {
			return nil, err
		}
		so.items = newOrderLines(items)
		byID[so.ID] = so
	}
	return byID, rows.Err()
}

// inIDs returns a subquery of the ids for "x IN (…)" and its one argument, numbered n: a
// JSON array on SQLite, an array on PostgreSQL. One parameter keeps the statement text the
// same for every page size (the modernc driver binds many parameters slowly).
func (s *Store) inIDs(n int, ids []int64) (string, any) {
	if s.pg {
		return fmt.Sprintf("SELECT unnest($%d::bigint[])", n), ids
	}
	b, _ := json.Marshal(ids)
	return fmt.Sprintf("SELECT value FROM json_each($%d)", n), string(b)
}

// inStrings is inIDs for text keys.
func (s *Store) inStrings(n int, keys []string) (string, any) {
	if s.pg {
		return fmt.Sprintf("SELECT unnest($%d::text[])", n), keys
	}
	b, _ := json.Marshal(keys)
	return fmt.Sprintf("SELECT value FROM json_each($%d)", n), string(b)
}
