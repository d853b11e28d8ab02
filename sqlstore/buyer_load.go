package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

const figsSelect = `SELECT customer_id, sid, email_key, name_key, orders, units, amount, amount_cny, amount_usd,
	refund_orders, refund_units, return_orders, return_units, feedback_count, feedback_bad,
	first_purchase, last_purchase, first_purchase_at, last_purchase_at, last_sid FROM customer_figures`

// scanBuyers reads figures rows ordered by customer and sid and calls fn once per customer.
// A buyer of one shop has no row of that shop stored (storedForm): its all-shops row stands
// for it.
func scanBuyers(rows *sql.Rows, fn func(r *buyerRecord) error) error {
	defer rows.Close()
	var r buyerRecord
	var lastSID int64 // of the customer's all-shops row
	var email, name, first, last sql.RawBytes
	flush := func() error {
		if r.id == 0 {
			return nil
		}
		if lastSID != 0 && !slices.Contains(r.sids, lastSID) {
			at, _ := slices.BinarySearch(r.sids, lastSID)
			r.sids, r.shops = slices.Insert(r.sids, at, lastSID), slices.Insert(r.shops, at, r.all)
		}
		err := fn(&r)
		r, lastSID = buyerRecord{shops: r.shops[:0], sids: r.sids[:0], email: r.email[:0], name: r.name[:0]}, 0
		return err
	}
	var n [8]int64 // counts scan as int64: database/sql converts other integer types by reflection
	for rows.Next() {
		var id, sid, rowLastSID int64
		var f figs
		if err := rows.Scan(&id, &sid, &email, &name, &n[0], &n[1], &f.amount, &f.cny, &f.usd,
			&n[2], &n[3], &n[4], &n[5], &n[6], &n[7], &first, &last, &f.firstAt, &f.lastAt, &rowLastSID); err != nil {
			return err
		}
		f.orders, f.units, f.refundOrders, f.refundUnits = uint32(n[0]), uint32(n[1]), uint32(n[2]), uint32(n[3])
		f.returnOrders, f.returnUnits, f.feedback, f.feedbackBad = uint32(n[4]), uint32(n[5]), uint32(n[6]), uint32(n[7])
		if id != r.id {
			if err := flush(); err != nil {
				return err
			}
			r.id = id
		}
		f.first, f.last = localSeconds(first), localSeconds(last)
		if sid == 0 {
			r.all, lastSID = f, rowLastSID
			r.email, r.name = append(r.email[:0], email...), append(r.name[:0], name...)
			continue
		}
		r.shops, r.sids = append(r.shops, f), append(r.sids, sid)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// loadBuyers reads every buyer.
func loadBuyers(ctx context.Context, s *Store) (*buyerData, error) {
	conn, err := s.read.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	if !s.pg {
		// A full scan would fill the connection's page cache with pages no page read needs
		// again; read through a small cache instead, and give that back afterwards.
		var cache int64
		if err := conn.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
			return nil, err
		}
		if _, err := conn.ExecContext(ctx, `PRAGMA cache_size = -2048`); err != nil {
			return nil, err
		}
		defer func() {
			conn.ExecContext(context.Background(), fmt.Sprintf(`PRAGMA cache_size = %d`, cache))
			conn.ExecContext(context.Background(), `PRAGMA shrink_memory`)
		}()
	}
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM customer_figures WHERE sid = 0`).Scan(&n); err != nil {
		return nil, err
	}
	d := newBuyerData(n + n/64)
	shops, _, err := findShops(ctx, conn, nil)
	if err != nil {
		return nil, err
	}
	d.setShops(shops)
	rows, err := conn.QueryContext(ctx, figsSelect+` ORDER BY customer_id, sid`)
	if err != nil {
		return nil, err
	}
	err = scanBuyers(rows, func(r *buyerRecord) error {
		d.put(int32(len(d.ids)), r)
		return nil
	})
	return d, err
}

// localSeconds reads 'YYYY-MM-DD HH:MM:SS' as seconds since 1970-01-01 00:00:00 of the same
// clock; 0 when malformed.
func localSeconds(b []byte) uint32 {
	if len(b) < 19 {
		return 0
	}
	num := func(s []byte) int64 {
		var v int64
		for _, c := range s {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int64(c-'0')
		}
		return v
	}
	y, mo, dd := num(b[0:4]), num(b[5:7]), num(b[8:10])
	h, mi, se := num(b[11:13]), num(b[14:16]), num(b[17:19])
	if y < 1970 || mo < 1 || mo > 12 || dd < 1 || h < 0 || mi < 0 || se < 0 {
		return 0
	}
	return uint32(daysFromCivil(y, mo, dd)*86400 + h*3600 + mi*60 + se)
}

// daysFromCivil counts days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
