package bench

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm/amazon"
	"github.com/shopcrm/shopcrm/sqlite"
)

// The floor of an import: the buyers, orders and lines of a shipments report written in one
// transaction with no figures, no merging and no idempotence, the report parsed before the
// clock starts. What the import does beyond writing these rows is what it costs over the
// floor.

// ReadShipments parses a whole shipments report.
func ReadShipments(path string) ([]amazon.Shipment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := amazon.NewShipmentReader(f)
	if err != nil {
		return nil, err
	}
	var lines []amazon.Shipment
	for {
		s, err := r.Next()
		if errors.Is(err, io.EOF) {
			return lines, nil
		}
		if err != nil {
			return nil, err
		}
		lines = append(lines, s)
	}
}

// OpenFloorSQLite creates a migrated store file at path and opens it again as a plain
// database with the writer's settings of package sqlite, holding shop 1.
func OpenFloorSQLite(ctx context.Context, path string) (*sql.DB, error) {
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	s.Close()
	db, err := sql.Open("sqlite", sqlite.WriterDSN(path))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := FloorShop(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// FloorShop adds shop 1, whose orders the floors write.
func FloorShop(ctx context.Context, db *sql.DB) error {
	_, err := db.ExecContext(ctx, `INSERT INTO shops (sid, name, marketplace, country, currency, time_zone, created_at)
		VALUES (1, 'US', 'Amazon.com', 'US', 'USD', 'America/Los_Angeles', 0)`)
	return err
}

// RawShipments writes the buyers, orders and lines of a shipments report as a first attempt
// would: a prepared INSERT per row.
func RawShipments(ctx context.Context, db *sql.DB, lines []amazon.Shipment) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var stmts []*sql.Stmt
	for _, q := range []string{`INSERT INTO customers (email_key, email, full_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		`INSERT INTO orders (sid, number, customer_id, buyer_email, buyer_name, purchase_time, updated_time,
		status, fulfilment, sales_channel, currency) VALUES (1, $1, $2, $3, $4, $5, $5, 'Shipped', 'FBA', $6, $7) RETURNING id`,
		`INSERT INTO order_items (order_id, sku, title, quantity, price, tax, status)
		VALUES ($1, $2, $3, $4, $5, $6, 'Shipped') ON CONFLICT (order_id, sku) DO UPDATE SET
		quantity = order_items.quantity + excluded.quantity, price = order_items.price + excluded.price,
		tax = order_items.tax + excluded.tax`} {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		stmts = append(stmts, st)
	}
	insCustomer, insOrder, insItem := stmts[0], stmts[1], stmts[2]
	customers := map[string]int64{}
	orders := map[string]int64{}
	now := time.Now().Unix()
	for _, s := range lines {
		key := strings.ToLower(s.BuyerEmail)
		cid, ok := customers[key]
		if !ok {
			if err := insCustomer.QueryRowContext(ctx, key, s.BuyerEmail, s.BuyerName, now).Scan(&cid); err != nil {
				return err
			}
			customers[key] = cid
		}
		oid, ok := orders[s.OrderID]
		if !ok {
			err := insOrder.QueryRowContext(ctx, s.OrderID, cid, s.BuyerEmail, s.BuyerName, s.PurchaseDate.Unix(),
				s.SalesChannel, s.Currency).Scan(&oid)
			if err != nil {
				return err
			}
			orders[s.OrderID] = oid
		}
		_, err := insItem.ExecContext(ctx, oid, s.SKU, s.ProductName, s.Quantity, int64(s.ItemPrice), int64(s.ItemTax))
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

// floorItem and floorOrder are a shipments report's rows folded by order and SKU.
type floorItem struct {
	sku, title      string
	qty, price, tax int64
}

type floorOrder struct {
	number, email, name, channel, currency string
	purchase                               int64
	items                                  []floorItem
}

// MultiRowShipments writes the same rows as RawShipments, folded in Go first and sent in
// 32-row INSERT OR ROLLBACKs on SQLite's "?" placeholders, as the store sends its rows
// (sqlstore.bulkQuery): the engine's own cost for them.
func MultiRowShipments(ctx context.Context, db *sql.DB, lines []amazon.Shipment) error {
	var emails []string
	names := map[string]string{}
	var orders []*floorOrder
	byNumber := map[string]*floorOrder{}
	for _, s := range lines {
		key := strings.ToLower(s.BuyerEmail)
		if _, ok := names[key]; !ok {
			names[key] = s.BuyerName
			emails = append(emails, key)
		}
		o := byNumber[s.OrderID]
		if o == nil {
			o = &floorOrder{number: s.OrderID, email: key, name: s.BuyerName, channel: s.SalesChannel, currency: s.Currency,
				purchase: s.PurchaseDate.Unix()}
			byNumber[s.OrderID] = o
			orders = append(orders, o)
		}
		it := floorItem{s.SKU, s.ProductName, int64(s.Quantity), int64(s.ItemPrice), int64(s.ItemTax)}
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
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := time.Now().Unix()
	ids := map[string]int64{}
	rows := make([][]any, len(emails))
	for i, e := range emails {
		rows[i] = []any{e, e, names[e], now, now}
	}
	err = insertRows(ctx, tx, `INSERT OR ROLLBACK INTO customers (email_key, email, full_name, created_at, updated_at) VALUES `,
		` RETURNING id, email_key`, 5, rows, func(rs *sql.Rows) error {
			var id int64
			var e string
			err := rs.Scan(&id, &e)
			ids[e] = id
			return err
		})
	if err != nil {
		return err
	}
	orderIDs := map[string]int64{}
	rows = make([][]any, len(orders))
	for i, o := range orders {
		rows[i] = []any{o.number, ids[o.email], o.email, o.name, o.purchase, o.purchase, o.channel, o.currency}
	}
	err = insertRows(ctx, tx, `INSERT OR ROLLBACK INTO orders (sid, number, customer_id, buyer_email, buyer_name, purchase_time, updated_time, status,
		fulfilment, sales_channel, currency) SELECT 1, column1, column2, column3, column4, column5, column6, 'Shipped', 'FBA',
		column7, column8 FROM (VALUES `, `) RETURNING id, number`, 8, rows, func(rs *sql.Rows) error {
		var id int64
		var n string
		err := rs.Scan(&id, &n)
		orderIDs[n] = id
		return err
	})
	if err != nil {
		return err
	}
	rows = rows[:0]
	for _, o := range orders {
		for _, it := range o.items {
			rows = append(rows, []any{orderIDs[o.number], it.sku, it.title, it.qty, it.price, it.tax, "Shipped"})
		}
	}
	if err := insertRows(ctx, tx, `INSERT OR ROLLBACK INTO order_items (order_id, sku, title, quantity, price, tax, status) VALUES `, ``, 7, rows, nil); err != nil {
		return err
	}
	return tx.Commit()
}

// insertRows sends rows of arity values in statements of up to 32 rows; scan, when set,
// reads what RETURNING gives back.
func insertRows(ctx context.Context, tx *sql.Tx, head, tail string, arity int, rows [][]any, scan func(*sql.Rows) error) error {
	stmts := map[int]*sql.Stmt{}
	for len(rows) > 0 {
		n := min(32, len(rows))
		st := stmts[n]
		if st == nil {
			tuple := "(" + strings.TrimSuffix(strings.Repeat("?,", arity), ",") + ")"
			var err error
			if st, err = tx.PrepareContext(ctx, head+strings.TrimSuffix(strings.Repeat(tuple+",", n), ",")+tail); err != nil {
				return err
			}
			stmts[n] = st
		}
		args := make([]any, 0, n*arity)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if scan == nil {
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return err
			}
		} else if err := scanRows(ctx, st, args, scan); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

func scanRows(ctx context.Context, st *sql.Stmt, args []any, scan func(*sql.Rows) error) error {
	rs, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		if err := scan(rs); err != nil {
			return err
		}
	}
	return rs.Err()
}
