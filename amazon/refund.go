package amazon

import (
	"io"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// Refund is one refunded order item assembled from the consecutive Refund rows of a V2
// settlement file, in the shape of a Finances API refund event.
type Refund struct {
	Line                     int // line of the group's first row
	SettlementID             string
	OrderID                  string
	MerchantOrderID          string
	AdjustmentID             string
	MerchantAdjustmentItemID string
	SKU                      string
	Quantity                 int
	PostedDate               time.Time
	Currency                 string // the row's, else the summary row's
	MarketplaceName          string
	FulfillmentID            string
	AmountDetails            []Detail // charges given back: Principal, ShippingCharge, Tax, PromotionPrincipal…
	CostDetails              []Detail // fees: Commission (+), RefundCommission (−)…
}

// Detail is one signed amount component of a refund.
type Detail struct {
	Type   string
	Amount shopcrm.Amount
}

// RefundReader groups the Refund rows of a V2 settlement file into refunds. Other rows are
// skipped without being parsed, so a malformed Order row is not reported here.
type RefundReader struct {
	t        *table
	currency string // from the summary row; item rows often leave currency empty

	pending bool
	cur     Refund
	curKey  refundKey
	held    []error // row errors inside the pending group, released after it

	out   []refundItem // ready, in line order, from out[head]
	head  int
	fatal error
}

type refundItem struct {
	ref Refund
	err error
}

// refundKey identifies one refunded item: the adjustment item id when the file has one,
// else the adjustment id and SKU.
type refundKey struct{ order, item, adjustment, sku string }

// NewRefundReader reads the header of a V2 settlement file (see NewSettlementReader).
func NewRefundReader(r io.Reader) (*RefundReader, error) {
	t, err := newSettlementTable(r)
	if err != nil {
		return nil, err
	}
	return &RefundReader{t: t}, nil
}

// Offset is how far into the input the reader has got (see OrderReader.Offset). It may
// be ahead of the refund returned last, whose group ends where the next one starts.
func (r *RefundReader) Offset() int64 { return r.t.lr.offset() }

// Next returns the next refund, a *RowError for a Refund row it had to skip, or io.EOF.
// Results come in line order: a row error inside a group is returned after that group.
func (r *RefundReader) Next() (Refund, error) {
	for {
		if r.head < len(r.out) {
			it := r.out[r.head]
			if r.head++; r.head == len(r.out) {
				clear(r.out)
				r.out, r.head = r.out[:0], 0
			}
			return it.ref, it.err
		}
		if r.fatal != nil {
			return Refund{}, r.fatal
		}
		r.step()
	}
}

// step reads one row and moves finished refunds and errors to out.
func (r *RefundReader) step() {
	t := r.t
	if err := t.next(); err != nil {
		r.flush()
		r.fatal = err
		return
	}
	v := t.vals
	if !strings.EqualFold(v[seTransactionType], "Refund") {
		if v[seTransactionType] == "" && v[seCurrency] != "" {
			r.currency = v[seCurrency]
		}
		r.flush() // only consecutive rows form a group
		return
	}
	key := refundKey{order: v[seOrderID], item: v[seMerchantAdjustmentItemID]}
	if key.item == "" {
		key.adjustment, key.sku = v[seAdjustmentID], v[seSKU]
	}
	if r.pending && key != r.curKey {
		r.flush()
	}
	row, err := parseSettlement(t)
	if err != nil {
		if r.pending {
			r.held = append(r.held, err)
		} else {
			r.out = append(r.out, refundItem{err: err})
		}
		return
	}
	if !r.pending {
		r.pending, r.curKey = true, key
		r.cur = Refund{
			Line:                     row.Line,
			SettlementID:             row.SettlementID,
			OrderID:                  row.OrderID,
			AdjustmentID:             row.AdjustmentID,
			MerchantAdjustmentItemID: row.MerchantAdjustmentItemID,
			SKU:                      row.SKU,
			PostedDate:               row.PostedDate,
		}
	}
	r.cur.add(&row)
}

// flush finishes the pending group, then releases the errors held behind it.
func (r *RefundReader) flush() {
	if !r.pending {
		return
	}
	if r.cur.Currency == "" {
		r.cur.Currency = r.currency
	}
	r.out = append(r.out, refundItem{ref: r.cur})
	for _, err := range r.held {
		r.out = append(r.out, refundItem{err: err})
	}
	r.pending, r.cur, r.held = false, Refund{}, r.held[:0]
}

// add folds one Refund row into the group, naming amounts the way the Finances API does
// (ChargeType / FeeType) so both sources store the same detail types.
func (g *Refund) add(row *SettlementRow) {
	desc := row.AmountDescription
	if desc == "" {
		desc = row.AmountType
	}
	d := Detail{Type: desc, Amount: row.Amount}
	switch {
	case strings.EqualFold(row.AmountType, "ItemFees"):
		g.CostDetails = append(g.CostDetails, d)
	case strings.EqualFold(row.AmountType, "Promotion"):
		d.Type = "Promotion" + desc
		g.AmountDetails = append(g.AmountDetails, d)
	default:
		// ItemPrice, ItemWithheldTax, and unknown amount types: money given back to the
		// buyer is better listed under its description than dropped.
		if strings.EqualFold(row.AmountType, "ItemPrice") && strings.EqualFold(desc, "Shipping") {
			d.Type = "ShippingCharge"
		}
		g.AmountDetails = append(g.AmountDetails, d)
	}
	if g.Quantity == 0 {
		g.Quantity = row.QuantityPurchased
	}
	if g.PostedDate.IsZero() {
		g.PostedDate = row.PostedDate
	}
	fill(&g.MerchantOrderID, row.MerchantOrderID)
	fill(&g.Currency, row.Currency)
	fill(&g.MarketplaceName, row.MarketplaceName)
	fill(&g.FulfillmentID, row.FulfillmentID)
}

// fill sets an empty field from a later row of the group.
func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}
