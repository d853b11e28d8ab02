package shopcrm

import (
	"context"
	"time"
)

// Figures are one buyer's numbers over a set of shops (SPEC §2). Stored per (customer, shop)
// and rolled up over all shops, kept current where orders, after-sales and feedback are
// written; never recomputed on read.
type Figures struct {
	CustomerID        int64
	Orders            int64 // distinct orders with at least one non-cancelled line
	Units             int64
	Amount            Amount // in Currency
	Currency          string // currency of the shop of the latest purchase
	AmountCNY         Amount
	AmountUSD         Amount
	RefundOrders      int64
	RefundUnits       int64
	ReturnOrders      int64
	ReturnUnits       int64
	ExchangeOrders    int64
	ExchangeUnits     int64
	FeedbackCount     int64
	FeedbackBad       int64
	FirstPurchase     time.Time // an instant; shown in the zone of the shop it was made in
	LastPurchase      time.Time // an instant; shown in the zone of LastPurchaseSID's shop
	LastPurchaseSID   int64
	PerCustomerAmount Amount // Amount / Orders, in Currency
}

// Rates derived from the counts, as Lingxing shows them (4 decimals).
func (f *Figures) RefundRate() float64   { return ratio(f.RefundOrders, f.Orders) }
func (f *Figures) ReturnRate() float64   { return ratio(f.ReturnOrders, f.Orders) }
func (f *Figures) FeedbackRate() float64 { return ratio(f.FeedbackCount, f.Orders) }
func (f *Figures) FeedbackBadRate() float64 {
	return ratio(f.FeedbackBad, f.FeedbackCount)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64((a*10000+b/2)/b) / 10000
}

// BuyerRow is one row of the Lingxing customer list.
type BuyerRow struct {
	Figures
	Email    string
	Name     string
	Remark   string
	SIDs     []int64
	Segments []string
}

// Currency types of the Lingxing customer list.
const (
	CurrencyOriginal = 0
	CurrencyCNY      = 1
	CurrencyUSD      = 2
)

// BuyerSortFields are the sort_field values the customer list accepts.
var BuyerSortFields = map[string]bool{
	"order_items": true, "volume": true, "amount": true, "per_customer_transaction": true,
	"refund_number": true, "refund_sales_number": true, "refund_rate": true,
	"return_number": true, "return_sales_number": true, "return_rate": true,
	"feedback_number": true, "feedback_bad_number": true, "feedback_rate": true,
	"feedback_bad_rate": true, "first_purchase_date": true, "last_purchase_date": true,
}

// BuyerFilter selects rows of the customer list.
type BuyerFilter struct {
	SIDs         []int64 // empty = all shops
	DateField    string  // first_purchase_date or last_purchase_date
	Start, End   time.Time
	SearchField  string // buyer_email or buyer_name
	SearchValue  string
	CurrencyType int
	SortField    string
	SortDesc     bool
	Offset       int
	Limit        int
}

// BuyerService serves the customer list.
type BuyerService interface {
	FindBuyers(ctx context.Context, filter BuyerFilter) ([]*BuyerRow, int, error)
}
