package amazon

import (
	"io"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// OrderLine is one order item from the All Orders report
// (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL / _BY_LAST_UPDATE_GENERAL). The
// report names no buyer; it is the source of order status and amounts.
type OrderLine struct {
	Line               int
	OrderID            string
	MerchantOrderID    string
	OrderItemID        string // only in the newer 34-column variant
	PurchaseDate       time.Time
	LastUpdated        time.Time // zero when empty
	OrderStatus        string    // Pending, Shipped, Shipping, Cancelled…
	FulfillmentChannel string    // Amazon (FBA) or Merchant (FBM)
	SalesChannel       string    // Amazon.com…, Non-Amazon for multi-channel orders
	OrderChannel       string
	ShipServiceLevel   string
	ProductName        string
	SKU                string
	ASIN               string
	ItemStatus         string
	Quantity           int // 0 on cancelled lines
	Currency           string
	ItemPrice          shopcrm.Amount // line total (unit price × quantity)
	// HasItemPrice is false when item-price is empty, as on pending and cancelled lines:
	// the price is unknown, not zero.
	HasItemPrice          bool
	ItemTax               shopcrm.Amount // money below reads as 0 when empty
	ShippingPrice         shopcrm.Amount
	ItemPromotionDiscount shopcrm.Amount
	ShipPromotionDiscount shopcrm.Amount
	PromotionIDs          []string // nil when none
	ShipCity              string
	ShipState             string
	ShipPostalCode        string
	ShipCountry           string
	IsBusinessOrder       bool
}

const (
	orOrderID = iota
	orMerchantOrderID
	orOrderItemID
	orPurchaseDate
	orLastUpdated
	orOrderStatus
	orFulfillmentChannel
	orSalesChannel
	orOrderChannel
	orShipServiceLevel
	orProductName
	orSKU
	orASIN
	orItemStatus
	orQuantity
	orCurrency
	orItemPrice
	orItemTax
	orShippingPrice
	orItemPromotionDiscount
	orShipPromotionDiscount
	orPromotionIDs
	orShipCity
	orShipState
	orShipPostalCode
	orShipCountry
	orIsBusinessOrder
)

var orderSpec = newSpec([]string{
	"amazon-order-id", "merchant-order-id", "order-item-id", "purchase-date", "last-updated-date",
	"order-status", "fulfillment-channel", "sales-channel", "order-channel", "ship-service-level",
	"product-name", "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax",
	"shipping-price", "item-promotion-discount", "ship-promotion-discount", "promotion-ids",
	"ship-city", "ship-state", "ship-postal-code", "ship-country", "is-business-order",
}, map[string]string{
	"order-id":             "amazon-order-id",
	"amazon-order-item-id": "order-item-id",
	"seller-order-id":      "merchant-order-id",
	"last-updated":         "last-updated-date",
	"seller-sku":           "sku",
}, "amazon-order-id", "purchase-date", "order-status", "sku", "quantity")

// OrderReader reads the All Orders report row by row.
type OrderReader struct{ t *table }

// NewOrderReader reads the header and fails when a required column is missing. The
// 32-, 33- and 34-column variants all work: columns are found by name.
func NewOrderReader(r io.Reader) (*OrderReader, error) {
	t, err := newTable(r, orderSpec)
	if err != nil {
		return nil, err
	}
	return &OrderReader{t: t}, nil
}

// Offset is how far into the input the reader has got, for a progress bar: for plain input
// the exact bytes of the lines read so far (BOM included); for gzip input the compressed
// bytes taken from the reader, which run ahead of the rows by up to one read buffer.
// Either way it compares with the size of the file.
func (r *OrderReader) Offset() int64 { return r.t.lr.offset() }

// Next returns the next row, a *RowError for a row it had to skip, or io.EOF.
func (r *OrderReader) Next() (OrderLine, error) {
	t := r.t
	if err := t.next(); err != nil {
		return OrderLine{}, err
	}
	v := t.vals
	o := OrderLine{
		Line:               t.line,
		OrderID:            t.need(orOrderID),
		MerchantOrderID:    v[orMerchantOrderID],
		OrderItemID:        v[orOrderItemID],
		PurchaseDate:       t.date(orPurchaseDate, true),
		LastUpdated:        t.date(orLastUpdated, false),
		OrderStatus:        v[orOrderStatus],
		FulfillmentChannel: v[orFulfillmentChannel],
		SalesChannel:       v[orSalesChannel],
		OrderChannel:       v[orOrderChannel],
		ShipServiceLevel:   v[orShipServiceLevel],
		ProductName:        v[orProductName],
		SKU:                v[orSKU],
		ASIN:               v[orASIN],
		ItemStatus:         v[orItemStatus],
		Quantity:           t.integer(orQuantity, true),
		Currency:           v[orCurrency],
	}
	o.ItemPrice, o.HasItemPrice = t.optAmount(orItemPrice)
	o.ItemTax = t.amount(orItemTax)
	o.ShippingPrice = t.amount(orShippingPrice)
	o.ItemPromotionDiscount = t.amount(orItemPromotionDiscount)
	o.ShipPromotionDiscount = t.amount(orShipPromotionDiscount)
	o.PromotionIDs = splitList(v[orPromotionIDs])
	o.ShipCity, o.ShipState = v[orShipCity], v[orShipState]
	o.ShipPostalCode, o.ShipCountry = v[orShipPostalCode], v[orShipCountry]
	o.IsBusinessOrder = t.flag(orIsBusinessOrder)
	if err := t.rowErr(); err != nil {
		return OrderLine{}, err
	}
	return o, nil
}

// splitList splits a comma-separated field, trimming items and dropping empty ones. An id
// may itself contain spaces ("Duplicated A3JU1FCINF5SD0 1569460229772").
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
