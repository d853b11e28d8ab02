package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// The customer-list benchmarks run over a SQLite store of SHOPCRM_BENCH_BUYERS buyers
// (default 1 000 000) kept at SHOPCRM_BENCH_DB (default in the temporary directory) and
// generated on first use: six shops in five currencies, 1–5 orders per buyer over 3½ years,
// mostly in the buyer's home shop (about one buyer in five bought in two or more shops),
// 5 % of orders refunded, 3 % returned, 8 % with feedback. Generating a million takes a few
// minutes; later runs reuse the file.

func benchBuyers() int {
	if n, err := strconv.Atoi(os.Getenv("SHOPCRM_BENCH_BUYERS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchDB opens (generating when missing) the benchmark store.
func benchStore(b *testing.B) *sqlstore.Store {
	n := benchBuyers()
	path := os.Getenv("SHOPCRM_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), fmt.Sprintf("shopcrm-bench-%d.db", n))
	}
	_, err := os.Stat(path)
	fresh := os.IsNotExist(err)
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if fresh {
		start := time.Now()
		if err := generateBuyers(context.Background(), s, n); err != nil {
			s.Close()
			os.Remove(path)
			b.Fatal(err)
		}
		b.Logf("generated %d buyers in %s at %s", n, time.Since(start).Round(time.Second), path)
	}
	return s
}

// generateBuyers writes the data set with INSERT … SELECT and computes the figures with
// Reindex, the path ingest shares.
func generateBuyers(ctx context.Context, s *sqlstore.Store, n int) error {
	for _, sh := range []*shopcrm.Shop{{SID: 1, Name: "US-1", Marketplace: "US"}, {SID: 2, Name: "UK-1", Marketplace: "UK"},
		{SID: 3, Name: "DE-1", Marketplace: "DE"}, {SID: 4, Name: "US-2", Marketplace: "US"},
		{SID: 5, Name: "JP-1", Marketplace: "JP"}, {SID: 6, Name: "CA-1", Marketplace: "CA"}} {
		if err := s.CreateShop(ctx, sh); err != nil {
			return err
		}
	}
	// h(x, k) are MINSTD-style hashes: products stay under 2^63, so SQLite keeps integers.
	steps := []string{
		`CREATE TEMP TABLE first_names (k INTEGER PRIMARY KEY, v TEXT)`,
		`INSERT INTO first_names VALUES (0,'linda'),(1,'john'),(2,'mary'),(3,'james'),(4,'patricia'),(5,'robert'),(6,'jennifer'),
			(7,'michael'),(8,'elizabeth'),(9,'william'),(10,'barbara'),(11,'david'),(12,'susan'),(13,'richard'),(14,'jessica'),
			(15,'joseph'),(16,'sarah'),(17,'thomas'),(18,'karen'),(19,'charles'),(20,'nancy'),(21,'daniel'),(22,'lisa'),
			(23,'matthew'),(24,'betty'),(25,'anthony'),(26,'sandra'),(27,'mark'),(28,'ashley'),(29,'paul')`,
		`CREATE TEMP TABLE last_names (k INTEGER PRIMARY KEY, v TEXT)`,
		`INSERT INTO last_names VALUES (0,'smith'),(1,'johnson'),(2,'williams'),(3,'brown'),(4,'jones'),(5,'garcia'),(6,'miller'),
			(7,'davis'),(8,'rodriguez'),(9,'martinez'),(10,'hernandez'),(11,'lopez'),(12,'gonzalez'),(13,'wilson'),(14,'anderson'),
			(15,'thomas'),(16,'taylor'),(17,'moore'),(18,'jackson'),(19,'martin'),(20,'lee'),(21,'perez'),(22,'thompson'),
			(23,'white'),(24,'harris'),(25,'sanchez'),(26,'clark'),(27,'ramirez'),(28,'lewis'),(29,'robinson'),(30,'walker'),
			(31,'young'),(32,'allen'),(33,'king'),(34,'wright'),(35,'scott'),(36,'torres'),(37,'nguyen'),(38,'hill'),(39,'flores'),
			(40,'green'),(41,'adams'),(42,'nelson'),(43,'baker'),(44,'hall'),(45,'rivera'),(46,'campbell'),(47,'mitchell'),
			(48,'carter'),(49,'meckel')`,
		`CREATE TEMP TABLE shop_mix (k INTEGER PRIMARY KEY, sid INTEGER, currency TEXT, scale INTEGER)`,
		// Home shops: US-1 40 %, UK 15 %, DE 15 %, US-2 15 %, JP 10 %, CA 5 %.
		`WITH RECURSIVE p(k) AS (SELECT 0 UNION ALL SELECT k+1 FROM p WHERE k < 19)
		 INSERT INTO shop_mix SELECT k, CASE WHEN k < 8 THEN 1 WHEN k < 11 THEN 2 WHEN k < 14 THEN 3 WHEN k < 17 THEN 4 WHEN k < 19 THEN 5 ELSE 6 END,
			CASE WHEN k < 8 THEN 'USD' WHEN k < 11 THEN 'GBP' WHEN k < 14 THEN 'EUR' WHEN k < 17 THEN 'USD' WHEN k < 19 THEN 'JPY' ELSE 'CAD' END,
			CASE WHEN k >= 17 AND k < 19 THEN 100 ELSE 1 END FROM p`,
		fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < %d)
		 INSERT INTO customers (id, email_key, email, full_name, profile, created_at, updated_at)
		 SELECT i, e, e, f.v || ' ' || l.v, '{"source_name":"amazon"}', 1700000000, 1700000000 FROM
			(SELECT i, printf('%%08x%%07x@marketplace.amazon.com', (i * 48271) %% 2147483647, ((i * 69621) %% 2147483647) %% 268435456) AS e,
				(i * 16807) %% 2147483647 %% 30 AS fk, (i * 39373) %% 2147483647 %% 50 AS lk FROM c) x
			JOIN first_names f ON f.k = x.fk JOIN last_names l ON l.k = x.lk`, n),
		// 55 % of buyers 1 order, 25 % 2, 12 % 3, 8 % 4–5; 85 % of orders in the home shop.
		fmt.Sprintf(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < %d),
			k(j) AS (VALUES (1),(2),(3),(4),(5)),
			b AS (SELECT i, (i * 48271) %% 2147483647 %% 100 AS r, (i * 69621) %% 2147483647 %% 20 AS home FROM c)
		 INSERT INTO orders (id, sid, number, customer_id, buyer_email, buyer_name, purchase_time, updated_time, status, fulfilment, sales_channel, currency)
		 SELECT i * 8 + j, m.sid, printf('%%03d-%%07d-%%07d', j, i / 1000, i), i, cu.email, cu.full_name,
			1640995200 + (i * 7919 + j * 104729) %% 2147483647 * 16807 %% 2147483647 %% 110332800, 0, 'Shipped', 'AFN', 'Amazon.com', m.currency
		 FROM b JOIN k ON j <= CASE WHEN r < 55 THEN 1 WHEN r < 80 THEN 2 WHEN r < 92 THEN 3 WHEN r < 96 THEN 4 ELSE 5 END
			JOIN shop_mix m ON m.k = CASE WHEN (i * 31 + j * 7) %% 100 < 85 THEN home ELSE (i * 13 + j * 17) %% 20 END
			JOIN customers cu ON cu.id = i`, n),
		`UPDATE orders SET lines = json_array(json_array('SKU-' || (id % 500), 'B0' || (id % 500), '', 1 + id % 3,
			(500 + (id * 48271) % 2147483647 % 19500) * (1 + id % 3) * m.scale, 0, 'Shipped', '', ''))
		 FROM shop_mix m WHERE m.sid = orders.sid AND m.k IN (0, 8, 11, 14, 17, 19)`,
		`UPDATE orders SET lines = json_insert(lines, '$[#]', json_array('SKU-X' || (id % 97), 'B1' || (id % 97), '', 1,
			(300 + id % 2000) * m.scale, 0, 'Shipped', '', ''))
		 FROM shop_mix m WHERE m.sid = orders.sid AND m.k IN (0, 8, 11, 14, 17, 19) AND (id * 69621) % 2147483647 % 10 < 3`,
		`INSERT INTO after_sales (item_identifier, sid, order_number, type, sku, quantity, after_time, update_time, currency)
		 SELECT 'r' || o.id, o.sid, o.number, 1, 'SKU-' || (o.id % 500), 1, o.purchase_time + 864000, o.purchase_time + 864000, o.currency
		 FROM orders o WHERE (o.id * 16807) % 2147483647 % 100 < 5`,
		`INSERT INTO after_sales (item_identifier, sid, order_number, type, sku, quantity, after_time, update_time, currency)
		 SELECT 't' || o.id, o.sid, o.number, 2, 'SKU-' || (o.id % 500), 1 + o.id % 2, o.purchase_time + 1728000, o.purchase_time + 1728000, o.currency
		 FROM orders o WHERE (o.id * 39373) % 2147483647 % 100 < 3`,
		`INSERT INTO feedback (sid, order_number, rating, date)
		 SELECT o.sid, o.number, 1 + (o.id * 48271) % 2147483647 % 5, o.purchase_time + 1296000
		 FROM orders o WHERE (o.id * 69621) % 2147483647 % 100 < 8`,
	}
	db := s.DB()
	for _, q := range steps {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%.60s…: %w", q, err)
		}
	}
	return s.Reindex(ctx)
}

// buyerShape is one kind of request of the benchmark matrix.
type buyerShape struct {
	name string
	f    shopcrm.BuyerFilter
}

func buyerShapes() []buyerShape {
	day := func(v string) time.Time { t, _ := time.Parse("2006-01-02", v); return t }
	return []buyerShape{
		{"none", shopcrm.BuyerFilter{}},
		{"sid", shopcrm.BuyerFilter{SIDs: []int64{2}}},
		{"sids3", shopcrm.BuyerFilter{SIDs: []int64{1, 2, 3}}},
		{"date", shopcrm.BuyerFilter{DateField: "last_purchase_date", Start: day("2024-01-01"), End: day("2024-06-30")}},
		{"email", shopcrm.BuyerFilter{SearchField: "buyer_email", SearchValue: "00"}},
		{"email1", shopcrm.BuyerFilter{SearchField: "buyer_email", SearchValue: "0000bc8f"}},
		{"name", shopcrm.BuyerFilter{SearchField: "buyer_name", SearchValue: "smith"}},
	}
}

// BenchmarkFindBuyers times the store call of the customer list: per shape and offset, each
// iteration is one request, cycling through every sort field in both directions; p50 and p99
// are reported beside the mean.
func BenchmarkFindBuyers(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	start := time.Now()
	if _, _, err := s.FindBuyers(ctx, shopcrm.BuyerFilter{}); err != nil {
		b.Fatal(err)
	}
	b.Logf("index loaded in %s", time.Since(start).Round(time.Millisecond))
	fields := slices.Sorted(func(yield func(string) bool) {
		for f := range shopcrm.BuyerSortFields {
			if !yield(f) {
				return
			}
		}
	})
	for _, sh := range buyerShapes() {
		for _, offset := range []int{0, 10000} {
			b.Run(fmt.Sprintf("%s/offset=%d", sh.name, offset), func(b *testing.B) {
				var lat []time.Duration
				total := 0
				for k := 0; b.Loop(); k++ {
					f := sh.f
					f.SortField, f.SortDesc, f.Offset = fields[k/2%len(fields)], k%2 == 0, offset
					t0 := time.Now()
					_, n, err := s.FindBuyers(ctx, f)
					lat = append(lat, time.Since(t0))
					if err != nil {
						b.Fatal(err)
					}
					total = n
				}
				reportLatency(b, lat)
				b.ReportMetric(float64(total), "total")
			})
		}
	}
}

func reportLatency(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(q(0.5), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
}

// BenchmarkBuyersFloor times, per shape, what SQL alone does for the same page (sorted by
// last purchase, descending, ties by e-mail): "page" is the fastest single statement over the
// maintained figures without the total, "figures" the same with its total (a window count),
// "orders" the naive GROUP BY over orders and items at query time (counts, units, sales and
// dates only: after-sales, feedback and currency would cost more).
func BenchmarkBuyersFloor(b *testing.B) {
	s := benchStore(b)
	type floor struct{ where, having, join string }
	shapes := []struct {
		name           string
		figures, order floor
		sids           string
	}{
		{"none", floor{where: "sid = 0"}, floor{}, ""},
		{"sid", floor{where: "sid = 2"}, floor{where: "o.sid = 2"}, ""},
		{"sids3", floor{}, floor{where: "o.sid IN (1, 2, 3)"}, "1, 2, 3"},
		{"date", floor{where: "sid = 0 AND last_purchase >= '2024-01-01' AND last_purchase < '2024-07-01'"},
			floor{having: "max(o.purchase_time) >= 1704067200 AND max(o.purchase_time) < 1719792000"}, ""},
		{"email", floor{where: "sid = 0 AND email_key LIKE '%00%'"}, floor{where: "c.email_key LIKE '%00%'"}, ""},
		{"name", floor{where: "sid = 0 AND name_key LIKE '%smith%'"}, floor{where: "lower(c.full_name) LIKE '%smith%'"}, ""},
	}
	for _, sh := range shapes {
		figures := `SELECT customer_id, orders, units, amount, last_purchase, count(*) OVER () FROM customer_figures
			WHERE ` + sh.figures.where + ` ORDER BY last_purchase DESC, email_key LIMIT 20 OFFSET $1`
		if sh.sids != "" {
			figures = `SELECT customer_id, sum(orders), sum(units), sum(amount_cny), max(last_purchase) AS last, count(*) OVER ()
				FROM customer_figures WHERE sid IN (` + sh.sids + `) GROUP BY customer_id, email_key
				ORDER BY last DESC, email_key LIMIT 20 OFFSET $1`
		}
		where := "o.status <> 'Cancelled' AND i.status <> 'Cancelled'"
		if sh.order.where != "" {
			where += " AND " + sh.order.where
		}
		having := ""
		if sh.order.having != "" {
			having = " HAVING " + sh.order.having
		}
		orders := `SELECT o.customer_id, count(DISTINCT o.id), sum(i.quantity), sum(i.price), max(o.purchase_time) AS last, count(*) OVER ()
			FROM orders o JOIN order_items i ON i.order_id = o.id JOIN customers c ON c.id = o.customer_id
			WHERE ` + where + ` GROUP BY o.customer_id, c.email_key` + having + ` ORDER BY last DESC, c.email_key LIMIT 20 OFFSET $1`
		page := strings.Replace(figures, ", count(*) OVER ()", "", 1)
		for _, q := range []struct{ kind, sql string }{{"page", page}, {"figures", figures}, {"orders", orders}} {
			for _, offset := range []int{0, 10000} {
				b.Run(fmt.Sprintf("%s/%s/offset=%d", sh.name, q.kind, offset), func(b *testing.B) {
					var lat []time.Duration
					for b.Loop() {
						t0 := time.Now()
						rows, err := s.DB().Query(q.sql, offset)
						if err != nil {
							b.Fatal(err)
						}
						n := 0
						for rows.Next() {
							n++
						}
						rows.Close()
						if err := rows.Err(); err != nil {
							b.Fatal(err)
						}
						lat = append(lat, time.Since(t0))
					}
					reportLatency(b, lat)
				})
			}
		}
	}
}
