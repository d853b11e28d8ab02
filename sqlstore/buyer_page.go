package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/shopcrm/shopcrm"
)

// shownFigures is a figures row with its shop-local times.
type shownFigures struct {
	sid int64
	shopcrm.Figures
	first, last string
}

// buyerRows reads the page's customers in rank order. Over all the shops a buyer bought
// from, or over one, its stored row is the answer; over some of several shops its orders are
// folded again, as ingest would (the amount in the original currency cannot be summed from
// shop rows in different currencies), and kept in the set's view v (nil for all shops) until
// the index changes.
func (s *Store) buyerRows(ctx context.Context, ids []int64, sids []int64, currencyType int, v *buyerView) ([]*shopcrm.BuyerRow, error) {
	out := make([]*shopcrm.BuyerRow, 0, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	in, args := placeholders(1, len(ids)), int64Args(ids)
	figures, err := pageFigures(ctx, tx, in, args)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*shopcrm.BuyerRow{}
	rows, err := tx.QueryContext(ctx, `SELECT id, email, coalesce(email_key, ''), full_name, note FROM customers WHERE id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		r := &shopcrm.BuyerRow{Segments: []string{}}
		var key string
		if err := rows.Scan(&r.CustomerID, &r.Email, &key, &r.Name, &r.Remark); err != nil {
			rows.Close()
			return nil, err
		}
		if r.Email == "" {
			r.Email = key
		}
		byID[r.CustomerID] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := pageSegments(ctx, tx, in, args, byID); err != nil {
		return nil, err
	}
	var partial []int64
	for _, id := range ids {
		r, all := byID[id], figures[id]
		if r == nil || len(all) < 2 {
			continue // changed since it was ranked
		}
		var picked []*shownFigures
		for _, f := range all[1:] {
			if selects(sids, f.sid) {
				picked = append(picked, f)
				r.SIDs = append(r.SIDs, f.sid)
			}
		}
		switch {
		case len(picked) == len(all)-1:
			showFigures(r, all[0], currencyType)
		case len(picked) == 1:
			showFigures(r, picked[0], currencyType)
		case len(picked) > 1:
			partial = append(partial, id)
		}
	}
	if len(partial) > 0 {
		folded, missing := v.folded(partial)
		if len(missing) > 0 {
			more, err := s.foldPartial(ctx, tx, missing, sids)
			if err != nil {
				return nil, err
			}
			v.keepFolded(missing, more)
			for id, r := range more {
				folded[id] = r
			}
		}
		for _, id := range partial {
			if r := folded[id]; r != nil {
				showFigures(byID[id], &shownFigures{Figures: r.Figures, first: r.first, last: r.last}, currencyType)
			}
		}
	}
	for _, id := range ids {
		if r := byID[id]; r != nil && r.Orders > 0 {
			out = append(out, r)
		}
	}
	return out, nil
}

// pageFigures reads the figures rows of the page, sid 0 first.
func pageFigures(ctx context.Context, tx *sql.Tx, in string, args []any) (map[int64][]*shownFigures, error) {
	rows, err := tx.QueryContext(ctx, `SELECT customer_id, sid, orders, units, amount, currency, amount_cny, amount_usd,
		refund_orders, refund_units, return_orders, return_units, exchange_orders, exchange_units, feedback_count, feedback_bad,
		first_purchase, last_purchase, first_purchase_at, last_purchase_at, last_sid
		FROM customer_figures WHERE customer_id IN (`+in+`) ORDER BY customer_id, sid`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]*shownFigures{}
	for rows.Next() {
		var f shownFigures
		var first, last int64
		if err := rows.Scan(&f.CustomerID, &f.sid, &f.Orders, &f.Units, &f.Amount, &f.Currency, &f.AmountCNY, &f.AmountUSD,
			&f.RefundOrders, &f.RefundUnits, &f.ReturnOrders, &f.ReturnUnits, &f.ExchangeOrders, &f.ExchangeUnits,
			&f.FeedbackCount, &f.FeedbackBad, &f.first, &f.last, &first, &last, &f.LastPurchaseSID); err != nil {
			return nil, err
		}
		f.FirstPurchase, f.LastPurchase = fromUnix(first), fromUnix(last)
		out[f.CustomerID] = append(out[f.CustomerID], &f)
	}
	// A buyer of one shop has that shop's row in its all-shops row (storedForm).
	for id, fs := range out {
		all := fs[0]
		if all.sid != 0 || all.LastPurchaseSID == 0 || slices.ContainsFunc(fs, func(f *shownFigures) bool {
			return f.sid == all.LastPurchaseSID
		}) {
			continue
		}
		lone := *all
		lone.sid = all.LastPurchaseSID
		at, _ := slices.BinarySearchFunc(fs[1:], lone.sid, func(f *shownFigures, sid int64) int { return cmp.Compare(f.sid, sid) })
		out[id] = slices.Insert(fs, 1+at, &lone)
	}
	return out, rows.Err()
}

func pageSegments(ctx context.Context, tx *sql.Tx, in string, args []any, byID map[int64]*shopcrm.BuyerRow) error {
	rows, err := tx.QueryContext(ctx, `SELECT m.customer_id, s.title FROM segment_members m JOIN segments s ON s.id = m.segment_id
		WHERE m.customer_id IN (`+in+`) ORDER BY m.customer_id, s.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return err
		}
		if r := byID[id]; r != nil {
			r.Segments = append(r.Segments, title)
		}
	}
	return rows.Err()
}

// foldPartial computes the figures of buyers over some of their shops from their orders in
// those shops; a buyer without a counted order there is left out.
func (s *Store) foldPartial(ctx context.Context, tx *sql.Tx, ids, sids []int64) (map[int64]*figureRow, error) {
	w := &wtx{Tx: tx, stmts: map[string]*sql.Stmt{}, pg: s.pg}
	defer w.closeStmts()
	rates, shops, err := loadConversion(ctx, tx)
	if err != nil {
		return nil, err
	}
	in, args := w.inIDs(1, ids)
	facts, err := loadOrderFacts(ctx, w, in, args, sids)
	if err != nil {
		return nil, err
	}
	orders := map[int64][]*orderFacts{}
	for _, o := range facts {
		if o.counted && selects(sids, o.sid) {
			orders[o.customer] = append(orders[o.customer], o)
		}
	}
	out := make(map[int64]*figureRow, len(orders))
	for id, os := range orders {
		out[id] = foldFigures(id, 0, customerKey{}, os, rates, shops)
	}
	return out, nil
}

// showFigures puts figures on a row in the requested currency. The purchase times carry the
// zone of the shop they happened in, so that formatting them gives the shop-local text.
func showFigures(r *shopcrm.BuyerRow, f *shownFigures, currencyType int) {
	sids, id := r.SIDs, r.CustomerID
	r.Figures = f.Figures
	r.SIDs, r.CustomerID = sids, id
	switch currencyType {
	case shopcrm.CurrencyCNY:
		r.Amount, r.Currency = r.AmountCNY, "CNY"
	case shopcrm.CurrencyUSD:
		r.Amount, r.Currency = r.AmountUSD, "USD"
	}
	r.PerCustomerAmount = perOrder(r.Amount, r.Orders)
	r.FirstPurchase = inLocalZone(r.FirstPurchase, f.first)
	r.LastPurchase = inLocalZone(r.LastPurchase, f.last)
}

// inLocalZone returns t in the fixed zone whose wall clock reads local.
func inLocalZone(t time.Time, local string) time.Time {
	l := localSeconds([]byte(local))
	if l == 0 || t.IsZero() {
		return t
	}
	return t.In(time.FixedZone("", int(int64(l)-t.Unix())))
}
