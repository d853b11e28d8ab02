package shopcrm

import (
	"context"
	"strings"
	"time"
)

// Fulfilment channels.
const (
	FulfilmentFBA = "FBA"
	FulfilmentFBM = "FBM"
)

// Order is one order in one shop, keyed by (SID, Number). Amazon orders are keyed by the
// Amazon order id; own-shop orders by the shop's order number.
type Order struct {
	ID         int64
	SID        int64
	Number     string
	CustomerID *int64
	BuyerEmail string // links the order to a customer (case-insensitive)
	BuyerName  string
	// BuyerMobile is the buyer's phone from an own-shop order. The store gives it to the
	// customer when the customer has none (a number set over the REST API always wins); it is
	// not kept with the order.
	BuyerMobile  string
	PurchaseTime time.Time // UTC
	UpdatedTime  time.Time // UTC; last-updated-date of the report
	Status       string    // Shipped, Pending, Cancelled…
	Fulfilment   string    // FBA or FBM
	SalesChannel string    // Amazon.com…, Non-Amazon for multi-channel orders
	Currency     string
	CouponCode   string
	Items        []OrderItem
}

// OrderItem is one line of an order, keyed within the order by SKU (the seller's MSKU),
// which both the All Orders and the FBA shipments reports carry.
type OrderItem struct {
	SKU       string
	ASIN      string
	Title     string
	Quantity  int64
	Price     Amount // line total (unit price × quantity), tax excluded
	Tax       Amount
	Status    string // item status; Cancelled lines do not count
	Promotion string
	// Parcels lists the shipment items a line from the FBA shipments report sums (see
	// AddParcels); empty for lines from other sources, whose later copy replaces the line.
	Parcels string
}

// IsMCF reports whether an order is a multi-channel fulfilment order (sold elsewhere,
// shipped by Amazon): it has no Amazon buyer.
func (o *Order) IsMCF() bool { return strings.EqualFold(o.SalesChannel, "Non-Amazon") }

// Cancelled reports whether an order line is excluded from the figures.
func (o *Order) Cancelled(it *OrderItem) bool {
	return strings.EqualFold(o.Status, "Cancelled") || strings.EqualFold(it.Status, "Cancelled")
}

// Bounds of one order line or after-sale item. Real lines stay far below them; they keep the
// sums over a customer's lines, and their conversion at a rate in millionths, inside int64,
// where a quantity of 2^63-1 in a report would otherwise wrap the customer's units negative.
const (
	MaxQuantity   = 1_000_000
	MaxLineAmount = Amount(1_000_000_000_000) // ten billion currency units, in hundredths
)

// Times outside [EarliestTime, LatestTime) are bad rows: no marketplace sold anything before
// 1995, and a date in 2100 is a typo or a placeholder that would stand as its buyer's last
// purchase, or as an order's last update that no later report could replace.
var (
	EarliestTime = time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC)
	LatestTime   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

// TimeOK reports whether t is within [EarliestTime, LatestTime).
func TimeOK(t time.Time) bool { return !t.Before(EarliestTime) && t.Before(LatestTime) }

// LineAmountOK reports whether an amount of one line is within MaxLineAmount either way.
func LineAmountOK(a Amount) bool { return a >= -MaxLineAmount && a <= MaxLineAmount }

// Validate checks an order before it is written.
func (o *Order) Validate() error {
	var fe FieldErrors
	if o.SID <= 0 {
		fe.Add("sid", "required")
	}
	if o.Number == "" {
		fe.Add("order_number", "required")
	}
	switch {
	case o.PurchaseTime.IsZero():
		fe.Add("purchase_date", "required")
	case !TimeOK(o.PurchaseTime):
		fe.Add("purchase_date", "%s is outside 1995 to 2099", o.PurchaseTime.UTC().Format(time.RFC3339))
	}
	// Reports without an update time of their own (shipments) copy the purchase time.
	if !o.UpdatedTime.IsZero() && !o.UpdatedTime.Equal(o.PurchaseTime) && !TimeOK(o.UpdatedTime) {
		fe.Add("updated_time", "%s is outside 1995 to 2099", o.UpdatedTime.UTC().Format(time.RFC3339))
	}
	if len(o.BuyerMobile) > 32 {
		fe.Add("buyer_mobile", "longer than 32 characters")
	}
	if o.Currency == "" && len(o.Items) > 0 {
		fe.Add("currency", "required")
	}
	for i := range o.Items {
		if o.Items[i].SKU == "" {
			fe.Add("sku", "required")
		}
		it := &o.Items[i]
		switch {
		case it.Quantity < 0:
			fe.Add("quantity", "must not be negative")
		case it.Quantity > MaxQuantity:
			fe.Add("quantity", "more than 1000000")
		}
		if !LineAmountOK(it.Price) {
			fe.Add("item_price", "out of range")
		}
		if !LineAmountOK(it.Tax) {
			fe.Add("item_tax", "out of range")
		}
	}
	return fe.Err()
}

// Product is a catalogue entry keyed by (SID, MSKU): the seller's own SKU and name for it.
type Product struct {
	SID           int64  `json:"sid"`
	MSKU          string `json:"msku"`
	ASIN          string `json:"asin"`
	LocalSKU      string `json:"local_sku"`
	LocalName     string `json:"local_name"`
	Title         string `json:"item_name"`
	SmallImageURL string `json:"small_image_url"`
}

// WriteResult counts what a write did.
type WriteResult struct {
	Inserted int
	Updated  int
	// Unchanged rows were identical to what the store held (re-imports).
	Unchanged int
}

// Add sums two results.
func (r *WriteResult) Add(o WriteResult) {
	r.Inserted += o.Inserted
	r.Updated += o.Updated
	r.Unchanged += o.Unchanged
}

// IngestService writes imported data. Every call is one transaction that also brings the
// figures of every touched customer up to date, so a killed import never leaves figures
// that disagree with the rows beneath them.
type IngestService interface {
	// UpsertOrders inserts or updates orders and their items by natural key. Orders with a
	// buyer e-mail are linked to the customer with that e-mail, which is created if needed.
	// An update never clears a buyer e-mail or name it cannot see (All Orders has none).
	UpsertOrders(ctx context.Context, orders []*Order) (WriteResult, error)
	UpsertAfterSales(ctx context.Context, items []*AfterSale) (WriteResult, error)
	UpsertFeedback(ctx context.Context, items []*Feedback) (WriteResult, error)
	UpsertProducts(ctx context.Context, items []*Product) (WriteResult, error)
	// Reindex recomputes every customer's figures from the stored rows.
	Reindex(ctx context.Context) error
}
