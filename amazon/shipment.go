package amazon

import (
	"io"
	"time"

	"github.com/shopcrm/shopcrm"
)

// Shipment is one shipped item from the Amazon-fulfilled shipments report
// (GET_AMAZON_FULFILLED_SHIPMENTS_DATA_GENERAL). It is the FBA report that names the buyer.
type Shipment struct {
	Line            int
	OrderID         string
	MerchantOrderID string
	ShipmentID      string
	ShipmentItemID  string
	OrderItemID     string
	PurchaseDate    time.Time
	PaymentsDate    time.Time // zero when empty
	ShipmentDate    time.Time // zero when empty
	BuyerEmail      string    // a relay address; empty on multi-channel orders
	BuyerName       string
	BuyerPhone      string
	SKU             string
	ProductName     string
	Quantity        int
	Currency        string
	// Money columns read as 0 when empty.
	ItemPrice             shopcrm.Amount
	ItemTax               shopcrm.Amount
	ShippingPrice         shopcrm.Amount
	ShippingTax           shopcrm.Amount
	ItemPromotionDiscount shopcrm.Amount
	ShipPromotionDiscount shopcrm.Amount
	RecipientName         string
	ShipCity              string
	ShipState             string
	ShipPostalCode        string
	ShipCountry           string
	Carrier               string
	TrackingNumber        string
	FulfillmentChannel    string
	SalesChannel          string
}

const (
	shOrderID = iota
	shMerchantOrderID
	shShipmentID
	shShipmentItemID
	shOrderItemID
	shPurchaseDate
	shPaymentsDate
	shShipmentDate
	shBuyerEmail
	shBuyerName
	shBuyerPhone
	shSKU
	shProductName
	shQuantity
	shCurrency
	shItemPrice
	shItemTax
	shShippingPrice
	shShippingTax
	shItemPromotionDiscount
	shShipPromotionDiscount
	shRecipientName
	shShipCity
	shShipState
	shShipPostalCode
	shShipCountry
	shCarrier
	shTrackingNumber
	shFulfillmentChannel
	shSalesChannel
)

var shipmentSpec = newSpec([]string{
	"amazon-order-id", "merchant-order-id", "shipment-id", "shipment-item-id", "amazon-order-item-id",
	"purchase-date", "payments-date", "shipment-date", "buyer-email", "buyer-name", "buyer-phone-number",
	"sku", "product-name", "quantity-shipped", "currency", "item-price", "item-tax", "shipping-price",
	"shipping-tax", "item-promotion-discount", "ship-promotion-discount", "recipient-name", "ship-city",
	"ship-state", "ship-postal-code", "ship-country", "carrier", "tracking-number",
	"fulfillment-channel", "sales-channel",
}, map[string]string{
	"order-id":        "amazon-order-id",
	"order-item-id":   "amazon-order-item-id",
	"seller-order-id": "merchant-order-id",
	"seller-sku":      "sku",
}, "amazon-order-id", "purchase-date", "buyer-email", "sku", "quantity-shipped")

// ShipmentReader reads the FBA shipments report row by row.
type ShipmentReader struct{ t *table }

// NewShipmentReader reads the header and fails when a required column is missing.
func NewShipmentReader(r io.Reader) (*ShipmentReader, error) {
	t, err := newTable(r, shipmentSpec)
	if err != nil {
		return nil, err
	}
	return &ShipmentReader{t: t}, nil
}

// Offset is how far into the input the reader has got (see OrderReader.Offset).
func (r *ShipmentReader) Offset() int64 { return r.t.lr.offset() }

// Next returns the next row, a *RowError for a row it had to skip, or io.EOF.
func (r *ShipmentReader) Next() (Shipment, error) {
	t := r.t
	if err := t.next(); err != nil {
		return Shipment{}, err
	}
	v := t.vals
	s := Shipment{
		Line:                  t.line,
		OrderID:               t.need(shOrderID),
		MerchantOrderID:       v[shMerchantOrderID],
		ShipmentID:            v[shShipmentID],
		ShipmentItemID:        v[shShipmentItemID],
		OrderItemID:           v[shOrderItemID],
		PurchaseDate:          t.date(shPurchaseDate, true),
		PaymentsDate:          t.date(shPaymentsDate, false),
		ShipmentDate:          t.date(shShipmentDate, false),
		BuyerEmail:            v[shBuyerEmail],
		BuyerName:             v[shBuyerName],
		BuyerPhone:            v[shBuyerPhone],
		SKU:                   v[shSKU],
		ProductName:           v[shProductName],
		Quantity:              t.integer(shQuantity, true),
		Currency:              v[shCurrency],
		ItemPrice:             t.amount(shItemPrice),
		ItemTax:               t.amount(shItemTax),
		ShippingPrice:         t.amount(shShippingPrice),
		ShippingTax:           t.amount(shShippingTax),
		ItemPromotionDiscount: t.amount(shItemPromotionDiscount),
		ShipPromotionDiscount: t.amount(shShipPromotionDiscount),
		RecipientName:         v[shRecipientName],
		ShipCity:              v[shShipCity],
		ShipState:             v[shShipState],
		ShipPostalCode:        v[shShipPostalCode],
		ShipCountry:           v[shShipCountry],
		Carrier:               v[shCarrier],
		TrackingNumber:        v[shTrackingNumber],
		FulfillmentChannel:    v[shFulfillmentChannel],
		SalesChannel:          v[shSalesChannel],
	}
	if err := t.rowErr(); err != nil {
		return Shipment{}, err
	}
	return s, nil
}
