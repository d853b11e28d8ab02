package sqlstore

import (
	"context"
	"database/sql"
	"math"
	"math/bits"
	"sort"
	"time"

	"github.com/shopcrm/shopcrm"
)

// rateTable resolves the rate of a currency in a month: the month's own row, else the
// latest earlier month, else the earliest known (so an old order still converts).
type rateTable map[string][]monthRate

type monthRate struct {
	month string
	rate  shopcrm.Rate
}

func loadRates(ctx context.Context, q querier) (rateTable, error) {
	rows, err := q.QueryContext(ctx, `SELECT month, currency, official, my_rate FROM exchange_rates ORDER BY currency, month`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	rt := rateTable{}
	for rows.Next() {
		var r shopcrm.ExchangeRate
		if err := rows.Scan(&r.Month, &r.Currency, &r.Official, &r.MyRate); err != nil {
			return nil, err
		}
		rt[r.Currency] = append(rt[r.Currency], monthRate{r.Month, r.Effective()})
	}
	return rt, rows.Err()
}

// rate returns CNY per unit; ok is false for a currency with no rate at all.
func (rt rateTable) rate(currency, month string) (shopcrm.Rate, bool) {
	if currency == "CNY" {
		return 1_000_000, true
	}
	ms := rt[currency]
	if len(ms) == 0 {
		return 0, false
	}
	i := sort.Search(len(ms), func(i int) bool { return ms[i].month > month })
	if i == 0 {
		return ms[0].rate, true
	}
	return ms[i-1].rate, true
}

// convert converts an amount from one currency to another at the month's rates, through CNY.
// An unknown currency converts at 1:1 rather than dropping the money from the sums.
func (rt rateTable) convert(a shopcrm.Amount, from, to string, month string) shopcrm.Amount {
	if from == to || a == 0 {
		return a
	}
	rf, ok1 := rt.rate(from, month)
	rtTo, ok2 := rt.rate(to, month)
	if !ok1 || !ok2 {
		return a
	}
	return shopcrm.Amount(mulDivRound(int64(a), int64(rf), int64(rtTo)))
}

// mulDivRound returns a × num / den rounded half away from zero, for num and den > 0. The
// product is taken in 128 bits: an order of a hundred lines of a large amount times a rate
// in millionths passes 2^63. A quotient beyond int64 saturates.
func mulDivRound(a, num, den int64) int64 {
	neg := a < 0
	ua := uint64(a)
	if neg {
		ua = -ua
	}
	hi, lo := bits.Mul64(ua, uint64(num))
	if hi >= uint64(den) {
		return saturate(neg)
	}
	q, r := bits.Div64(hi, lo, uint64(den))
	if r >= uint64(den)-r {
		q++
	}
	if q > math.MaxInt64 {
		return saturate(neg)
	}
	if neg {
		return -int64(q)
	}
	return int64(q)
}

func saturate(neg bool) int64 {
	if neg {
		return -math.MaxInt64
	}
	return math.MaxInt64
}

func monthOf(t time.Time) string { return t.UTC().Format("2006-01") }

// FindRates returns the rates in force in a month for every known currency.
func (s *Store) FindRates(ctx context.Context, month string) ([]*shopcrm.ExchangeRate, error) {
	if !shopcrm.ValidMonth(month) {
		return nil, &shopcrm.Error{Code: shopcrm.EINVALID, Message: "invalid month",
			Fields: []shopcrm.FieldError{{Field: "date", Message: "must be a month as YYYY-MM"}}}
	}
	rows, err := s.read.QueryContext(ctx, `SELECT r.month, r.currency, r.official, r.my_rate FROM exchange_rates r
		WHERE r.month = (SELECT max(m.month) FROM exchange_rates m WHERE m.currency = r.currency AND m.month <= $1)
		ORDER BY r.currency`, month)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*shopcrm.ExchangeRate
	for rows.Next() {
		var r shopcrm.ExchangeRate
		if err := rows.Scan(&r.Month, &r.Currency, &r.Official, &r.MyRate); err != nil {
			return nil, err
		}
		out = append(out, &r)
	}
	return out, rows.Err()
}

// SetMyRate sets the user's rate and recomputes the figures of every customer whose
// converted amounts depend on it, in the same transaction.
func (s *Store) SetMyRate(ctx context.Context, month, currency string, rate shopcrm.Rate) error {
	var fe shopcrm.FieldErrors
	if !shopcrm.ValidMonth(month) {
		fe.Add("month", "must be YYYY-MM")
	}
	if len(currency) != 3 {
		fe.Add("currency", "must be a 3-letter code")
	}
	if rate <= 0 {
		fe.Add("rate", "must be positive")
	}
	if err := fe.Err(); err != nil {
		return err
	}
	return s.inWriteTx(ctx, func(tx *wtx) error {
		// A month without an official row takes the official rate in force then.
		var official shopcrm.Rate
		err := tx.QueryRowContext(ctx, `SELECT official FROM exchange_rates WHERE currency = $1 AND month <= $2
			ORDER BY month DESC LIMIT 1`, currency, month).Scan(&official)
		if err == sql.ErrNoRows {
			official = rate
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO exchange_rates (month, currency, official, my_rate) VALUES ($1,$2,$3,$4)
			ON CONFLICT (month, currency) DO UPDATE SET my_rate = excluded.my_rate`, month, currency, official, rate); err != nil {
			return err
		}
		// USD rates convert every amount_usd; other currencies only their own orders.
		q := `SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL AND currency = $1`
		args := []any{currency}
		if currency == "USD" {
			q, args = `SELECT DISTINCT customer_id FROM orders WHERE customer_id IS NOT NULL`, nil
		}
		ids, err := queryIDs(ctx, tx, q, args...)
		if err != nil {
			return err
		}
		return s.refreshFigures(ctx, tx, ids)
	})
}

func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
