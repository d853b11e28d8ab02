package sqlstore

import (
	"time"

	"github.com/shopcrm/shopcrm"
)

// figureRow is one row of customer_figures.
type figureRow struct {
	shopcrm.Figures
	sid            int64
	email, name    string
	first, last    string // shop-local text
	perCustomerCNY shopcrm.Amount
	lastOrderID    int64
}

const localLayout = "2006-01-02 15:04:05"

// buildFigures folds one customer's counted orders into a row per shop and one over all (sid 0).
func buildFigures(cid int64, key customerKey, orders []*orderFacts, rates rateTable, shops map[int64]*shopcrm.Shop) []*figureRow {
	bySID := map[int64][]*orderFacts{}
	for _, o := range orders {
		bySID[o.sid] = append(bySID[o.sid], o)
	}
	rows := make([]*figureRow, 0, len(bySID)+1)
	for sid, os := range bySID {
		rows = append(rows, foldFigures(cid, sid, key, os, rates, shops))
	}
	return append(rows, foldFigures(cid, 0, key, orders, rates, shops))
}

func foldFigures(cid, sid int64, key customerKey, orders []*orderFacts, rates rateTable, shops map[int64]*shopcrm.Shop) *figureRow {
	r := &figureRow{sid: sid, email: key.email, name: key.name}
	r.CustomerID = cid
	var first, last *orderFacts
	for _, o := range orders {
		if first == nil || o.before(first) {
			first = o
		}
		if last == nil || last.before(o) {
			last = o
		}
	}
	r.Currency = shopCurrency(shops, last)
	for _, o := range orders {
		r.add(o, rates)
	}
	r.setFirst(first, shops)
	r.setLast(last, shops)
	r.finish()
	return r
}

// add counts one order into the sums. The amount is converted order by order, so adding
// orders to a stored row gives the same sums as folding all of them.
func (r *figureRow) add(o *orderFacts, rates rateTable) {
	month := monthOf(time.Unix(o.purchase, 0))
	r.Orders++
	r.Units += o.units
	r.Amount += rates.convert(o.amount, o.currency, r.Currency, month)
	r.AmountCNY += rates.convert(o.amount, o.currency, "CNY", month)
	r.AmountUSD += rates.convert(o.amount, o.currency, "USD", month)
	if o.refunds {
		r.RefundOrders++
		r.RefundUnits += o.refundUnits
	}
	if o.returns {
		r.ReturnOrders++
		r.ReturnUnits += o.returnUnits
	}
	if o.exchanges {
		r.ExchangeOrders++
		r.ExchangeUnits += o.exchangeUnits
	}
	if o.feedback {
		r.FeedbackCount++
		if o.bad {
			r.FeedbackBad++
		}
	}
}

func (r *figureRow) setFirst(o *orderFacts, shops map[int64]*shopcrm.Shop) {
	r.FirstPurchase = time.Unix(o.purchase, 0).UTC()
	r.first = r.FirstPurchase.In(shopLocation(shops, o.sid)).Format(localLayout)
}

func (r *figureRow) setLast(o *orderFacts, shops map[int64]*shopcrm.Shop) {
	r.LastPurchase = time.Unix(o.purchase, 0).UTC()
	r.last = r.LastPurchase.In(shopLocation(shops, o.sid)).Format(localLayout)
	r.LastPurchaseSID, r.lastOrderID = o.sid, o.id
}

// finish derives the per-order amounts from the sums.
func (r *figureRow) finish() {
	r.PerCustomerAmount = perOrder(r.Amount, r.Orders)
	r.perCustomerCNY = perOrder(r.AmountCNY, r.Orders)
}

func perOrder(a shopcrm.Amount, n int64) shopcrm.Amount {
	if n == 0 {
		return 0
	}
	v := int64(a)
	if v >= 0 {
		return shopcrm.Amount((v + n/2) / n)
	}
	return shopcrm.Amount((v - n/2) / n)
}

func shopCurrency(shops map[int64]*shopcrm.Shop, o *orderFacts) string {
	if sh := shops[o.sid]; sh != nil && sh.Currency != "" {
		return sh.Currency
	}
	return o.currency
}

func shopLocation(shops map[int64]*shopcrm.Shop, sid int64) *time.Location {
	if sh := shops[sid]; sh != nil {
		return sh.Location()
	}
	return time.UTC
}

// rate10k is a ratio as an integer of ten-thousandths, rounded half up, for exact sorting.
func rate10k(a, b int64) int64 {
	if b == 0 {
		return 0
	}
	return (a*10000 + b/2) / b
}

const figureColumns = `customer_id, sid, email_key, name_key, orders, units, amount, currency, amount_cny, amount_usd,
	per_customer, per_customer_cny, refund_orders, refund_units, refund_rate, return_orders, return_units, return_rate,
	exchange_orders, exchange_units, feedback_count, feedback_bad, feedback_rate, feedback_bad_rate,
	first_purchase, last_purchase, first_purchase_at, last_purchase_at, last_order_id, last_sid`

const figureArity = 30

var figureColumnList = columnList(figureColumns)

// figureText marks the text columns of figureColumns; the others are integers.
var figureText = [figureArity]bool{2: true, 3: true, 7: true, 24: true, 25: true}

// values is the row as figureColumns in order: int64 and string only, so two rows compare
// with ==.
func (r *figureRow) values() []any {
	return []any{r.CustomerID, r.sid, r.email, r.name, r.Orders, r.Units, int64(r.Amount), r.Currency,
		int64(r.AmountCNY), int64(r.AmountUSD), int64(r.PerCustomerAmount), int64(r.perCustomerCNY),
		r.RefundOrders, r.RefundUnits, rate10k(r.RefundOrders, r.Orders),
		r.ReturnOrders, r.ReturnUnits, rate10k(r.ReturnOrders, r.Orders),
		r.ExchangeOrders, r.ExchangeUnits, r.FeedbackCount, r.FeedbackBad,
		rate10k(r.FeedbackCount, r.Orders), rate10k(r.FeedbackBad, r.FeedbackCount),
		r.first, r.last, unix(r.FirstPurchase), unix(r.LastPurchase), r.lastOrderID, r.LastPurchaseSID}
}

// rowFromValues is the inverse of values, for adding orders to a stored row.
func rowFromValues(v []any) *figureRow {
	n := func(i int) int64 { return v[i].(int64) }
	r := &figureRow{sid: n(1), email: v[2].(string), name: v[3].(string), first: v[24].(string), last: v[25].(string),
		perCustomerCNY: shopcrm.Amount(n(11)), lastOrderID: n(28)}
	r.CustomerID, r.Orders, r.Units, r.Amount, r.Currency = n(0), n(4), n(5), shopcrm.Amount(n(6)), v[7].(string)
	r.AmountCNY, r.AmountUSD, r.PerCustomerAmount = shopcrm.Amount(n(8)), shopcrm.Amount(n(9)), shopcrm.Amount(n(10))
	r.RefundOrders, r.RefundUnits, r.ReturnOrders, r.ReturnUnits = n(12), n(13), n(15), n(16)
	r.ExchangeOrders, r.ExchangeUnits, r.FeedbackCount, r.FeedbackBad = n(18), n(19), n(20), n(21)
	r.FirstPurchase, r.LastPurchase, r.LastPurchaseSID = fromUnix(n(26)), fromUnix(n(27)), n(29)
	return r
}
