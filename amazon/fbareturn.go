package amazon

import (
	"io"
	"time"
)

// FBAReturn is one returned unit from the FBA customer returns report
// (GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA). Only returns that reached a fulfilment
// centre appear; returnless refunds do not.
type FBAReturn struct {
	Line                int
	ReturnDate          time.Time
	OrderID             string
	SKU                 string
	ASIN                string
	FNSKU               string
	ProductName         string
	Quantity            int
	FulfillmentCenterID string
	DetailedDisposition string // SELLABLE, DAMAGED, CUSTOMER_DAMAGED, DEFECTIVE…
	Reason              string // code without the CR- prefix the MFN report uses
	Status              string // free text: "Unit returned to inventory", "Reimbursed"…
	LPN                 string // license-plate-number: unique per returned unit
	CustomerComments    string
}

const (
	frReturnDate = iota
	frOrderID
	frSKU
	frASIN
	frFNSKU
	frProductName
	frQuantity
	frFulfillmentCenterID
	frDetailedDisposition
	frReason
	frStatus
	frLPN
	frCustomerComments
)

var fbaReturnSpec = newSpec([]string{
	"return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
	"fulfillment-center-id", "detailed-disposition", "reason", "status", "license-plate-number",
	"customer-comments",
}, map[string]string{
	// The help page and UI export say amazon-order-id; the downloaded file says order-id.
	"amazon-order-id": "order-id",
	"seller-sku":      "sku",
	"merchant-sku":    "sku",
	"lpn":             "license-plate-number",
	"disposition":     "detailed-disposition",
}, "return-date", "order-id", "sku", "quantity")

// FBAReturnReader reads the FBA customer returns report row by row.
type FBAReturnReader struct{ t *table }

// NewFBAReturnReader reads the header and fails when a required column is missing.
func NewFBAReturnReader(r io.Reader) (*FBAReturnReader, error) {
	t, err := newTable(r, fbaReturnSpec)
	if err != nil {
		return nil, err
	}
	return &FBAReturnReader{t: t}, nil
}

// Offset is how far into the input the reader has got (see OrderReader.Offset).
func (r *FBAReturnReader) Offset() int64 { return r.t.lr.offset() }

// Next returns the next row, a *RowError for a row it had to skip, or io.EOF.
func (r *FBAReturnReader) Next() (FBAReturn, error) {
	t := r.t
	if err := t.next(); err != nil {
		return FBAReturn{}, err
	}
	v := t.vals
	f := FBAReturn{
		Line:                t.line,
		ReturnDate:          t.date(frReturnDate, true),
		OrderID:             t.need(frOrderID),
		SKU:                 v[frSKU],
		ASIN:                v[frASIN],
		FNSKU:               v[frFNSKU],
		ProductName:         v[frProductName],
		Quantity:            t.integer(frQuantity, true),
		FulfillmentCenterID: v[frFulfillmentCenterID],
		DetailedDisposition: v[frDetailedDisposition],
		Reason:              v[frReason],
		Status:              v[frStatus],
		LPN:                 v[frLPN],
		CustomerComments:    v[frCustomerComments],
	}
	if err := t.rowErr(); err != nil {
		return FBAReturn{}, err
	}
	return f, nil
}
