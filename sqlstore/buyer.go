package sqlstore

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// FindBuyers returns a page of the Lingxing customer list and the number of buyers it
// selects. The index ranks and counts; the rows of the page are then read from the figures
// tables, so what is shown is what ingest maintains.
func (s *Store) FindBuyers(ctx context.Context, f shopcrm.BuyerFilter) ([]*shopcrm.BuyerRow, int, error) {
	if err := normalizeBuyerFilter(&f); err != nil {
		return nil, 0, err
	}
	x := s.buyers()
	if err := x.refresh(ctx, s); err != nil {
		return nil, 0, err
	}
	ids, total, v, err := x.rank(ctx, &f)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.buyerRows(ctx, ids, f.SIDs, f.CurrencyType, v)
	return rows, total, err
}

// rank returns the ids of the page's buyers, how many the filter selects, and the view of
// the selected shops, once a ranking slot is free.
func (x *buyerIndex) rank(ctx context.Context, f *shopcrm.BuyerFilter) ([]int64, int, *buyerView, error) {
	var buf *passBuf
	select {
	case buf = <-x.ranks:
	case <-ctx.Done():
		return nil, 0, nil, ctx.Err()
	}
	defer func() { x.ranks <- buf }()
	x.mu.RLock()
	defer x.mu.RUnlock()
	q, err := x.d.query(f)
	if err != nil {
		return nil, 0, nil, err
	}
	page, total := x.d.rank(q, buf)
	ids := make([]int64, len(page))
	for k, i := range page {
		ids[k] = x.d.ids[i]
	}
	return ids, total, x.d.view(&q.sel), nil
}

// WarmBuyers loads the customer-list index, which the first FindBuyers would otherwise do
// (seconds for a million buyers). A server calls it when it starts.
func (s *Store) WarmBuyers(ctx context.Context) error {
	return s.buyers().refresh(ctx, s)
}

// Date fields of the filter, with Lingxing's numeric aliases.
var buyerDateFields = map[string]string{
	"": "", "1": "first_purchase_date", "2": "last_purchase_date",
	"first_purchase_date": "first_purchase_date", "last_purchase_date": "last_purchase_date",
}

// normalizeBuyerFilter fills defaults and reports every bad field by its Lingxing name.
func normalizeBuyerFilter(f *shopcrm.BuyerFilter) error {
	var fe shopcrm.FieldErrors
	if f.SortField == "" {
		f.SortField = "last_purchase_date"
	} else if !shopcrm.BuyerSortFields[f.SortField] {
		fe.Add("sort_field", "unknown sort field %q", f.SortField)
	}
	if df, ok := buyerDateFields[f.DateField]; !ok {
		fe.Add("date_field", "must be 1, 2, first_purchase_date or last_purchase_date")
	} else {
		f.DateField = df
	}
	if f.DateField == "" && (!f.Start.IsZero() || !f.End.IsZero()) {
		f.DateField = "last_purchase_date"
	}
	if !f.Start.IsZero() && !f.End.IsZero() && dayNumber(f.Start) > dayNumber(f.End) {
		fe.Add("start_date", "is after end_date")
	}
	if f.CurrencyType < shopcrm.CurrencyOriginal || f.CurrencyType > shopcrm.CurrencyUSD {
		fe.Add("currency_type", "must be 0, 1 or 2")
	}
	switch {
	case f.SearchValue == "":
		if f.SearchField != "" && f.SearchField != "buyer_email" && f.SearchField != "buyer_name" {
			fe.Add("search_field", "must be buyer_email or buyer_name")
		}
	case f.SearchField == "":
		f.SearchField = "buyer_email"
	case f.SearchField != "buyer_email" && f.SearchField != "buyer_name":
		fe.Add("search_field", "must be buyer_email or buyer_name")
	}
	if f.Offset < 0 {
		fe.Add("offset", "must not be negative")
	}
	if f.Limit == 0 {
		f.Limit = 20
	} else if f.Limit < 0 || f.Limit > 200 {
		fe.Add("length", "must be 1 to 200")
	}
	for _, sid := range f.SIDs {
		if sid <= 0 {
			fe.Add("sids", "invalid shop id %d", sid)
		}
	}
	return fe.Err()
}

// dayNumber counts days since 1970 of a date's own calendar day.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return daysFromCivil(int64(y), int64(m), int64(d))
}

// Sort keys by sort_field; amount columns are chosen by currency (see query).
var buyerKeys = map[string]keySpec{
	"order_items":         {colOrders, colNone, 1},
	"volume":              {colUnits, colNone, 1},
	"refund_number":       {colRefundOrders, colNone, 1},
	"refund_sales_number": {colRefundUnits, colNone, 1},
	"refund_rate":         {colRefundOrders, colOrders, 10000},
	"return_number":       {colReturnOrders, colNone, 1},
	"return_sales_number": {colReturnUnits, colNone, 1},
	"return_rate":         {colReturnOrders, colOrders, 10000},
	"feedback_number":     {colFeedback, colNone, 1},
	"feedback_bad_number": {colFeedbackBad, colNone, 1},
	"feedback_rate":       {colFeedback, colOrders, 10000},
	"feedback_bad_rate":   {colFeedbackBad, colFeedback, 10000},
	"first_purchase_date": {colFirst, colNone, 1},
	"last_purchase_date":  {colLast, colNone, 1},
}

// query turns a normalized filter into the index's terms. Amounts in the original currency
// are compared as they are when every selected shop sells in one currency, and in CNY when
// the list mixes currencies (100 JPY is not more than 1 USD).
func (d *buyerData) query(f *shopcrm.BuyerFilter) (*buyerQuery, error) {
	q := &buyerQuery{desc: f.SortDesc, offset: f.Offset, limit: f.Limit, dateCol: colNone, hi: math.MaxUint32}
	q.sel.in = make([]bool, len(d.shops))
	if len(f.SIDs) == 0 {
		for p := range q.sel.in {
			q.sel.in[p] = true
		}
	}
	var fe shopcrm.FieldErrors
	for _, sid := range f.SIDs {
		p, ok := d.pos[sid]
		if !ok || d.shops[p].Name == "" {
			fe.Add("sids", "unknown shop %d", sid)
			continue
		}
		q.sel.in[p] = true
	}
	if err := fe.Err(); err != nil {
		return nil, err
	}
	currencies := map[string]bool{}
	var key strings.Builder
	q.sel.all = true
	for p, in := range q.sel.in {
		if !in {
			q.sel.all = false
			continue
		}
		fmt.Fprintf(&key, "%d,", p)
		if d.shops[p].Name != "" {
			currencies[d.shops[p].Currency] = true
		}
	}
	q.sel.key = key.String()
	money := colCNY
	switch {
	case f.CurrencyType == shopcrm.CurrencyUSD:
		money = colUSD
	case f.CurrencyType == shopcrm.CurrencyOriginal && len(currencies) == 1:
		money = colAmount
	}
	switch f.SortField {
	case "amount":
		q.key = keySpec{money, colNone, 1}
	case "per_customer_transaction":
		q.key = keySpec{money, colOrders, 1}
	default:
		q.key = buyerKeys[f.SortField]
	}
	if f.DateField != "" {
		q.dateCol = colLast
		if f.DateField == "first_purchase_date" {
			q.dateCol = colFirst
		}
		if !f.Start.IsZero() {
			q.lo = uint32(max(dayNumber(f.Start), 0) * 86400)
		}
		if !f.End.IsZero() {
			q.hi = uint32(min(max(dayNumber(f.End)*86400+86399, 0), math.MaxUint32))
		}
	}
	if f.SearchValue != "" {
		q.search = searchEmail
		if f.SearchField == "buyer_name" {
			q.search = searchName
		}
		q.needle = []byte(strings.ToLower(f.SearchValue))
	}
	return q, nil
}

// selects reports whether a sid is in the filter's shops (all when none).
func selects(sids []int64, sid int64) bool {
	return len(sids) == 0 || slices.Contains(sids, sid)
}
