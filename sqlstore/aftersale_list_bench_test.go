package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// BenchmarkFindAfterSaleOrders times the store call of the after-sale list over the
// benchmark store (see benchStore; SHOPCRM_BENCH_DB may name a `shopcrm demo` database
// instead): a 30-day window ending on the day of the latest purchase with 1000 records per
// page, in each date type and with filters, and a lookup of 50 order ids; then the raw SQL
// floors of the same pages (afterSaleFloor).
func BenchmarkFindAfterSaleOrders(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	var last int64
	if err := s.DB().QueryRowContext(ctx, `SELECT max(purchase_time) FROM orders`).Scan(&last); err != nil {
		b.Fatal(err)
	}
	end := time.Unix(last, 0).UTC().Truncate(24 * time.Hour)
	start := end.AddDate(0, 0, -29)
	var sid int64
	if err := s.DB().QueryRowContext(ctx, `SELECT sid FROM after_sales GROUP BY sid ORDER BY count(*) DESC LIMIT 1`).Scan(&sid); err != nil {
		b.Fatal(err)
	}
	var numbers []string
	rows, err := s.DB().QueryContext(ctx, `SELECT order_number FROM after_sales WHERE id % 97 = 0 ORDER BY id LIMIT 50`)
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		numbers = append(numbers, n)
	}
	rows.Close()
	window := shopcrm.AfterSaleFilter{Start: start, End: end, DateType: shopcrm.AfterSaleByTime, Limit: 1000}
	shapes := []struct {
		name string
		f    func(k int) shopcrm.AfterSaleFilter
	}{
		{"30days", func(int) shopcrm.AfterSaleFilter { return window }},
		{"30days/offset", func(k int) shopcrm.AfterSaleFilter { f := window; f.Offset = 1000 * (k % 3); return f }},
		{"30days/one-shop", func(int) shopcrm.AfterSaleFilter { f := window; f.SIDs = []int64{sid}; return f }},
		{"30days/refunds", func(int) shopcrm.AfterSaleFilter { f := window; f.Types = []int{shopcrm.AfterSaleRefund}; return f }},
		{"30days/by-purchase", func(int) shopcrm.AfterSaleFilter { f := window; f.DateType = shopcrm.AfterSaleByPurchase; return f }},
		{"30days/by-update", func(int) shopcrm.AfterSaleFilter { f := window; f.DateType = shopcrm.AfterSaleByDataUpdate; return f }},
		{"50ids", func(int) shopcrm.AfterSaleFilter {
			return shopcrm.AfterSaleFilter{Start: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
				DateType: shopcrm.AfterSaleByTime, OrderNumbers: numbers, Limit: 1000}
		}},
	}
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			var lat []time.Duration
			var total, items int
			for k := 0; b.Loop(); k++ {
				t0 := time.Now()
				recs, n, err := s.FindAfterSaleOrders(ctx, sh.f(k))
				lat = append(lat, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				total, items = n, 0
				for _, r := range recs {
					items += len(r.Items)
				}
			}
			reportLatency(b, lat)
			b.ReportMetric(float64(total), "total")
			b.ReportMetric(float64(items), "items")
		})
	}
	page, _, err := s.FindAfterSaleOrders(ctx, window)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("floor", func(b *testing.B) { afterSaleFloor(b, s, page, start, end, numbers) })
}

// afterSaleFloor times plain SQL for the same pages, rows read and dropped. "30days" and
// "50ids" read the page's items alone (the floor `shopcrm bench` reports). "page" runs the
// statements a 1000-record page needs, without the Go around them: the window's (shop,
// order, time) entries from the covering index, then the page's items with their products
// and order ids, the orders and the order lines (the page's ids found beforehand). One
// statement doing all of it (ranking with GROUP BY, joins) took 0.7 s on the demo data set.
func afterSaleFloor(b *testing.B, s *sqlstore.Store, page []*shopcrm.AfterSaleOrder, start, end time.Time, numbers []string) {
	type stmt struct {
		sql  string
		args []any
	}
	in, args := "", []any{}
	for i, n := range numbers {
		if i > 0 {
			in += ","
		}
		in += fmt.Sprintf("$%d", i+1)
		args = append(args, n)
	}
	var items, orders []int64
	for _, r := range page {
		if r.Order != nil {
			orders = append(orders, r.Order.ID)
		}
		for _, it := range r.Items {
			items = append(items, it.ID)
		}
	}
	jsonList := func(v []int64) string { b, _ := json.Marshal(v); return string(b) }
	window := []any{start.Unix(), end.Unix()}
	for _, q := range []struct {
		name  string
		stmts []stmt
	}{
		{"30days", []stmt{{`SELECT a.* FROM after_sales a WHERE a.after_time >= $1 AND a.after_time < $2 ORDER BY a.after_time DESC, a.id LIMIT 1000`, window}}},
		{"50ids", []stmt{{`SELECT a.* FROM after_sales a WHERE a.order_number IN (` + in + `)`, args}}},
		{"page", []stmt{
			{`SELECT id, sid, order_number, after_time FROM after_sales WHERE sid IN (SELECT sid FROM shops) AND after_time >= $1 AND after_time < $2`, window},
			{`SELECT a.*, o.id, p.* FROM after_sales a LEFT JOIN orders o ON o.sid = a.sid AND o.number = a.order_number
				LEFT JOIN products p ON p.sid = a.sid AND p.msku = a.sku WHERE a.id IN (SELECT value FROM json_each($1))`, []any{jsonList(items)}},
			{`SELECT * FROM orders WHERE id IN (SELECT value FROM json_each($1))`, []any{jsonList(orders)}},
		}},
	} {
		b.Run(q.name, func(b *testing.B) {
			var lat []time.Duration
			for b.Loop() {
				t0 := time.Now()
				for _, st := range q.stmts {
					rows, err := s.DB().Query(st.sql, st.args...)
					if err != nil {
						b.Fatal(err)
					}
					for rows.Next() {
					}
					rows.Close()
					if err := rows.Err(); err != nil {
						b.Fatal(err)
					}
				}
				lat = append(lat, time.Since(t0))
			}
			reportLatency(b, lat)
		})
	}
}
