package bench

import (
	"context"
	"database/sql"
	"time"
)

// Dataset is what the shapes need to know about the data set being measured.
type Dataset struct {
	Customers, Orders, AfterSales int64
	SIDs                          []int64 // by number of buyers, largest first
	DayFrom, DayTo                string  // a 30-day window ending at the latest purchase
	EmailPart, NamePart           string  // substrings to search for
	SegmentID                     int64   // the largest segment
	CustomerIDs                   []int64 // a sample for single-customer reads: the first 1000
	SpreadCustomerIDs             []int64 // 200 000 customers over the whole id range, more than a server keeps
	OrderNumbers                  []string
}

// Probe reads the data set's shape from the database.
func Probe(ctx context.Context, db *sql.DB) (*Dataset, error) {
	d := &Dataset{EmailPart: "k5q", NamePart: "meckel"}
	for _, q := range []struct {
		sql string
		dst *int64
	}{
		{`SELECT count(*) FROM customer_figures WHERE sid = 0`, &d.Customers},
		{`SELECT count(*) FROM orders`, &d.Orders},
		{`SELECT count(*) FROM after_sales`, &d.AfterSales},
	} {
		if err := db.QueryRowContext(ctx, q.sql).Scan(q.dst); err != nil {
			return nil, err
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT sid FROM customer_figures_expanded WHERE sid > 0 GROUP BY sid ORDER BY count(*) DESC, sid`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var sid int64
		rows.Scan(&sid)
		d.SIDs = append(d.SIDs, sid)
	}
	rows.Close()
	for len(d.SIDs) < 3 {
		d.SIDs = append(d.SIDs, 1)
	}
	var last string
	if err := db.QueryRowContext(ctx, `SELECT max(last_purchase) FROM customer_figures WHERE sid = 0`).Scan(&last); err != nil {
		return nil, err
	}
	end, err := time.Parse(time.DateOnly, last[:10])
	if err != nil {
		return nil, err
	}
	d.DayTo, d.DayFrom = end.Format(time.DateOnly), end.AddDate(0, 0, -29).Format(time.DateOnly)
	db.QueryRowContext(ctx, `SELECT segment_id FROM segment_members GROUP BY segment_id ORDER BY count(*) DESC LIMIT 1`).Scan(&d.SegmentID)
	if d.CustomerIDs, err = int64s(ctx, db, `SELECT id FROM customers ORDER BY id LIMIT 1000`); err != nil {
		return nil, err
	}
	var maxID int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM customers`).Scan(&maxID); err != nil {
		return nil, err
	}
	d.SpreadCustomerIDs, err = int64s(ctx, db, `SELECT id FROM customers WHERE id % $1 = 0 ORDER BY id LIMIT 200000`,
		max(1, maxID/200000))
	if err != nil {
		return nil, err
	}
	nums, err := db.QueryContext(ctx, `SELECT DISTINCT order_number FROM after_sales ORDER BY order_number LIMIT 50`)
	if err != nil {
		return nil, err
	}
	for nums.Next() {
		var n string
		nums.Scan(&n)
		d.OrderNumbers = append(d.OrderNumbers, n)
	}
	nums.Close()
	return d, nil
}

func int64s(ctx context.Context, db *sql.DB, query string, args ...any) ([]int64, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
