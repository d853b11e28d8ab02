package ingest_test

import (
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/shopcrm/shopcrm/amazon"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/storetest"
)

// BenchmarkImportFloor is the baseline beside BenchmarkImportOrders/…/shipments: the same
// report's buyers, orders and lines written in a single transaction with no figures, no
// merging and no idempotence, the report parsed before the clock starts. raw-sql is what a
// first attempt would do, a prepared INSERT per row; multi-row (SQLite) writes the rows with
// 32-row INSERTs, as the store does, so it is the engine's cost for the rows alone. Same
// SHOPCRM_BENCH_ORDERS as BenchmarkImportOrders.
func BenchmarkImportFloor(b *testing.B) {
	n := 50000
	if v, err := strconv.Atoi(os.Getenv("SHOPCRM_BENCH_ORDERS")); err == nil && v > 0 {
		n = v
	}
	path := filepath.Join(b.TempDir(), "shipments.txt")
	writeShipments(b, path, n)
	lines := readShipments(b, path)
	for _, multi := range []bool{false, true} {
		name := "sqlite/shipments/raw-sql"
		if multi {
			name += "/multi-row"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db := openRawSQLite(b)
				b.StartTimer()
				if multi {
					multiRowShipments(b, db, lines)
				} else {
					rawShipments(b, db, lines)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
	b.Run("postgres/shipments/raw-sql", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			_, url := storetest.MustOpenPostgresURL(b)
			db, err := sql.Open("pgx", url)
			if err != nil {
				b.Fatal(err)
			}
			mustRawShop(b, db)
			b.StartTimer()
			rawShipments(b, db, lines)
			b.StopTimer()
			db.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

func readShipments(tb testing.TB, path string) []amazon.Shipment {
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	r, err := amazon.NewShipmentReader(f)
	if err != nil {
		tb.Fatal(err)
	}
	var lines []amazon.Shipment
	for {
		s, err := r.Next()
		if err == io.EOF {
			return lines
		}
		if err != nil {
			tb.Fatal(err)
		}
		lines = append(lines, s)
	}
}

// openRawSQLite creates a migrated store file and opens it again as a plain database with
// the writer's settings of package sqlite.
func openRawSQLite(tb testing.TB) *sql.DB {
	path := filepath.Join(tb.TempDir(), "shopcrm.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", sqlite.WriterDSN(path))
	if err != nil {
		tb.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	mustRawShop(tb, db)
	return db
}

func mustRawShop(tb testing.TB, db *sql.DB) {
	_, err := db.Exec(`INSERT INTO shops (sid, name, marketplace, country, currency, time_zone, created_at)
		VALUES (1, 'US', 'Amazon.com', 'US', 'USD', 'America/Los_Angeles', 0)`)
	if err != nil {
		tb.Fatal(err)
	}
}

// rawShipments writes the buyers, orders and order lines of a shipments report.
func rawShipments(tb testing.TB, db *sql.DB, lines []amazon.Shipment) {
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	prep := func(q string) *sql.Stmt {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			tb.Fatal(err)
		}
		return st
	}
	insCustomer := prep(`INSERT INTO customers (email_key, email, full_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`)
	insOrder := prep(`INSERT INTO orders (sid, number, customer_id, buyer_email, buyer_name, purchase_time, updated_time,
		status, fulfilment, sales_channel, currency) VALUES (1, $1, $2, $3, $4, $5, $5, 'Shipped', 'FBA', $6, $7) RETURNING id`)
	insItem := prep(`INSERT INTO order_items (order_id, sku, title, quantity, price, tax, status)
		VALUES ($1, $2, $3, $4, $5, $6, 'Shipped') ON CONFLICT (order_id, sku) DO UPDATE SET
		quantity = order_items.quantity + excluded.quantity, price = order_items.price + excluded.price,
		tax = order_items.tax + excluded.tax`)
	customers := map[string]int64{}
	orders := map[string]int64{}
	now := time.Now().Unix()
	for _, s := range lines {
		key := strings.ToLower(s.BuyerEmail)
		cid, ok := customers[key]
		if !ok {
			if err := insCustomer.QueryRowContext(ctx, key, s.BuyerEmail, s.BuyerName, now).Scan(&cid); err != nil {
				tb.Fatal(err)
			}
			customers[key] = cid
		}
		oid, ok := orders[s.OrderID]
		if !ok {
			err := insOrder.QueryRowContext(ctx, s.OrderID, cid, s.BuyerEmail, s.BuyerName, s.PurchaseDate.Unix(),
				s.SalesChannel, s.Currency).Scan(&oid)
			if err != nil {
				tb.Fatal(err)
			}
			orders[s.OrderID] = oid
		}
		_, err := insItem.ExecContext(ctx, oid, s.SKU, s.ProductName, s.Quantity, int64(s.ItemPrice), int64(s.ItemTax))
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// multiRowShipments writes the same rows as rawShipments, folded in Go first and sent in
// 32-row INSERTs on SQLite's "?" placeholders.
func multiRowShipments(tb testing.TB, db *sql.DB, lines []amazon.Shipment) {
	type item struct {
		sku, title      string
		qty, price, tax int64
	}
	type order struct {
		number, email, name, channel, currency string
		purchase                               int64
		items                                  []item
	}
	var emails []string
	names := map[string]string{}
	var orders []*order
	byNumber := map[string]*order{}
	for _, s := range lines {
		key := strings.ToLower(s.BuyerEmail)
		if _, ok := names[key]; !ok {
			names[key] = s.BuyerName
			emails = append(emails, key)
		}
		o := byNumber[s.OrderID]
		if o == nil {
			o = &order{number: s.OrderID, email: key, name: s.BuyerName, channel: s.SalesChannel, currency: s.Currency,
				purchase: s.PurchaseDate.Unix()}
			byNumber[s.OrderID] = o
			orders = append(orders, o)
		}
		it := item{s.SKU, s.ProductName, int64(s.Quantity), int64(s.ItemPrice), int64(s.ItemTax)}
		merged := false
		for i := range o.items {
			if o.items[i].sku == it.sku {
				o.items[i].qty += it.qty
				o.items[i].price += it.price
				o.items[i].tax += it.tax
				merged = true
			}
		}
		if !merged {
			o.items = append(o.items, it)
		}
	}
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	// insert sends rows of arity values in statements of up to 32 rows; scan reads RETURNING.
	insert := func(head, tail string, arity int, rows [][]any, scan func(*sql.Rows)) {
		stmts := map[int]*sql.Stmt{}
		for len(rows) > 0 {
			n := min(32, len(rows))
			st := stmts[n]
			if st == nil {
				tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", arity), ",") + ")"
				st, err = tx.PrepareContext(ctx, head+strings.TrimSuffix(strings.Repeat(tuple+",", n), ",")+tail)
				if err != nil {
					tb.Fatal(err)
				}
				stmts[n] = st
			}
			args := make([]any, 0, n*arity)
			for _, r := range rows[:n] {
				args = append(args, r...)
			}
			if scan == nil {
				if _, err := st.ExecContext(ctx, args...); err != nil {
					tb.Fatal(err)
				}
			} else {
				rs, err := st.QueryContext(ctx, args...)
				if err != nil {
					tb.Fatal(err)
				}
				for rs.Next() {
					scan(rs)
				}
				if err := rs.Close(); err != nil {
					tb.Fatal(err)
				}
			}
			rows = rows[n:]
		}
	}
	now := time.Now().Unix()
	ids := map[string]int64{}
	rows := make([][]any, len(emails))
	for i, e := range emails {
		rows[i] = []any{e, e, names[e], now, now}
	}
	insert(`INSERT INTO customers (email_key, email, full_name, created_at, updated_at) VALUES `, ` RETURNING id, email_key`, 5, rows,
		func(rs *sql.Rows) {
			var id int64
			var e string
			if err := rs.Scan(&id, &e); err != nil {
				tb.Fatal(err)
			}
			ids[e] = id
		})
	orderIDs := map[string]int64{}
	rows = make([][]any, len(orders))
	for i, o := range orders {
		rows[i] = []any{o.number, ids[o.email], o.email, o.name, o.purchase, o.purchase, o.channel, o.currency}
	}
	insert(`INSERT INTO orders (sid, number, customer_id, buyer_email, buyer_name, purchase_time, updated_time, status,
		fulfilment, sales_channel, currency) SELECT 1, column1, column2, column3, column4, column5, column6, 'Shipped', 'FBA',
		column7, column8 FROM (VALUES `, `) RETURNING id, number`, 8, rows, func(rs *sql.Rows) {
		var id int64
		var n string
		if err := rs.Scan(&id, &n); err != nil {
			tb.Fatal(err)
		}
		orderIDs[n] = id
	})
	rows = rows[:0]
	for _, o := range orders {
		for _, it := range o.items {
			rows = append(rows, []any{orderIDs[o.number], it.sku, it.title, it.qty, it.price, it.tax, "Shipped"})
		}
	}
	insert(`INSERT INTO order_items (order_id, sku, title, quantity, price, tax, status) VALUES `, ``, 7, rows, nil)
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}
