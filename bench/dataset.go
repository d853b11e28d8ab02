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
	CustomerIDs                   []int64 // a sample for single-customer reads
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
	rows, err := db.QueryContext(ctx, `SELECT sid FROM customer_figures WHERE sid > 0 GROUP BY sid ORDER BY count(*) DESC, sid`)
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
	ids, err := db.QueryContext(ctx, `SELECT id FROM customers ORDER BY id LIMIT 1000`)
	if err != nil {
		return nil, err
	}
	for ids.Next() {
		var id int64
		ids.Scan(&id)
		d.CustomerIDs = append(d.CustomerIDs, id)
	}
	ids.Close()
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
