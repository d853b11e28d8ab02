package bench

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// The floor of an import: the buyers and orders of a shipments report, each order with its
// lines, written in one transaction with no figures, no merging and no idempotence, the
// report parsed before the clock starts. What the import does beyond writing these rows is
// what it costs over the floor.

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

// floorOrder is an order of a shipments report, its rows folded by SKU.
type floorOrder struct {
	number, email, name, channel, currency string
	purchase                               int64
	items                                  []shopcrm.OrderItem
}

// foldShipments folds a shipments report's rows into its buyers' e-mail keys, in the order
// they first appear, with the name of each, and its orders, in the same order.
func foldShipments(lines []amazon.Shipment) (emails []string, names map[string]string, orders []*floorOrder) {
	names = map[string]string{}
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
		it := shopcrm.OrderItem{SKU: s.SKU, Title: s.ProductName, Quantity: int64(s.Quantity), Price: s.ItemPrice,
			Tax: s.ItemTax, Status: "Shipped"}
		merged := false
		for i := range o.items {
			if o.items[i].SKU == it.SKU {
				o.items[i].Quantity += it.Quantity
				o.items[i].Price += it.Price
				o.items[i].Tax += it.Tax
				merged = true
			}
		}
		if !merged {
			o.items = append(o.items, it)
		}
	}
	return emails, names, orders
}

// RawShipments writes the buyers and orders of a shipments report, each order with its
// lines (orders.lines), as a first attempt would: a prepared INSERT per buyer and per order.
func RawShipments(ctx context.Context, db *sql.DB, lines []amazon.Shipment) error {
	emails, names, orders := foldShipments(lines)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	insCustomer, err := tx.PrepareContext(ctx, `INSERT INTO customers (email_key, email, full_name, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`)
	if err != nil {
		return err
	}
	insOrder, err := tx.PrepareContext(ctx, `INSERT INTO orders (sid, number, customer_id, buyer_email, buyer_name,
		purchase_time, updated_time, status, fulfilment, sales_channel, currency, lines)
		VALUES (1, $1, $2, $3, $4, $5, $5, 'Shipped', 'FBA', $6, $7, $8)`)
	if err != nil {
		return err
	}
	now := time.Now().Unix()
	ids := make(map[string]int64, len(emails))
	for _, e := range emails {
		var id int64
		if err := insCustomer.QueryRowContext(ctx, e, e, names[e], now).Scan(&id); err != nil {
			return err
		}
		ids[e] = id
	}
	for _, o := range orders {
		_, err := insOrder.ExecContext(ctx, o.number, ids[o.email], o.email, o.name, o.purchase, o.channel, o.currency,
			sqlstore.LinesJSON(o.items))
		if err != nil {
			return err
		}
	}
	return tx.Commit()
}

// MultiRowShipments writes the same rows as RawShipments in 32-row INSERT OR ROLLBACKs on
// SQLite's "?" placeholders, as the store sends its rows (sqlstore.bulkQuery): the engine's
// own cost for them.
func MultiRowShipments(ctx context.Context, db *sql.DB, lines []amazon.Shipment) error {
	emails, names, orders := foldShipments(lines)
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
	rows = make([][]any, len(orders))
	for i, o := range orders {
		rows[i] = []any{o.number, ids[o.email], o.email, o.name, o.purchase, o.purchase, o.channel, o.currency,
			sqlstore.LinesJSON(o.items)}
	}
	err = insertRows(ctx, tx, `INSERT OR ROLLBACK INTO orders (sid, number, customer_id, buyer_email, buyer_name, purchase_time, updated_time, status,
		fulfilment, sales_channel, currency, lines) SELECT 1, column1, column2, column3, column4, column5, column6, 'Shipped', 'FBA',
		column7, column8, column9 FROM (VALUES `, `)`, 9, rows, nil)
	if err != nil {
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
