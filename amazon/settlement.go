package amazon

import (
	"errors"
	"io"
	"time"

	"github.com/shopcrm/shopcrm"
)

// SettlementRow is one row of the V2 settlement flat file
// (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2): one amount component of one transaction.
// Empty money and quantities read as 0, empty dates as the zero time.
type SettlementRow struct {
	Line                     int
	SettlementID             string
	SettlementStartDate      time.Time
	SettlementEndDate        time.Time
	DepositDate              time.Time
	TotalAmount              shopcrm.Amount
	Currency                 string // often only on the summary row
	TransactionType          string // Order, Refund, other-transaction, ServiceFee… (open set)
	OrderID                  string
	MerchantOrderID          string
	AdjustmentID             string
	ShipmentID               string
	MarketplaceName          string
	AmountType               string // ItemPrice, ItemFees, Promotion, ItemWithheldTax…
	AmountDescription        string // Principal, Shipping, Commission, RefundCommission…
	Amount                   shopcrm.Amount
	FulfillmentID            string    // AFN, MFN
	PostedDate               time.Time // posted-date-time, or posted-date when that is empty
	OrderItemCode            string
	MerchantOrderItemID      string
	MerchantAdjustmentItemID string
	SKU                      string
	QuantityPurchased        int
	PromotionID              string // 24-column files only
	// IsSummary marks the settlement summary row (no transaction-type): it carries the
	// period, deposit date, total and currency of the whole file.
	IsSummary bool
}

const (
	seSettlementID = iota
	seStartDate
	seEndDate
	seDepositDate
	seTotalAmount
	seCurrency
	seTransactionType
	seOrderID
	seMerchantOrderID
	seAdjustmentID
	seShipmentID
	seMarketplaceName
	seAmountType
	seAmountDescription
	seAmount
	seFulfillmentID
	sePostedDate
	sePostedDateTime
	seOrderItemCode
	seMerchantOrderItemID
	seMerchantAdjustmentItemID
	seSKU
	seQuantityPurchased
	sePromotionID
)

var settlementSpec = newSpec([]string{
	"settlement-id", "settlement-start-date", "settlement-end-date", "deposit-date", "total-amount",
	"currency", "transaction-type", "order-id", "merchant-order-id", "adjustment-id", "shipment-id",
	"marketplace-name", "amount-type", "amount-description", "amount", "fulfillment-id", "posted-date",
	"posted-date-time", "order-item-code", "merchant-order-item-id", "merchant-adjustment-item-id",
	"sku", "quantity-purchased", "promotion-id",
}, map[string]string{
	// Amazon's own description of the file spells the condensed columns without hyphens.
	"amounttype":        "amount-type",
	"amountdescription": "amount-description",
	"amazon-order-id":   "order-id",
}, "settlement-id", "transaction-type", "amount-type", "amount-description", "amount")

// newSettlementTable opens the table shared by SettlementReader and RefundReader.
func newSettlementTable(r io.Reader) (*table, error) {
	t, err := newTable(r, settlementSpec)
	if err != nil {
		return nil, err
	}
	if !t.has(sePostedDate) && !t.has(sePostedDateTime) {
		return nil, errors.New("amazon: header lacks required column posted-date")
	}
	return t, nil
}

// SettlementReader reads the V2 settlement flat file row by row.
type SettlementReader struct{ t *table }

// NewSettlementReader reads the header and fails when a required column is missing. Both
// the 23-column file and the 24-column one with promotion-id work.
func NewSettlementReader(r io.Reader) (*SettlementReader, error) {
	t, err := newSettlementTable(r)
	if err != nil {
		return nil, err
	}
	return &SettlementReader{t: t}, nil
}

// Offset is how far into the input the reader has got (see OrderReader.Offset).
func (r *SettlementReader) Offset() int64 { return r.t.lr.offset() }

// Next returns the next row, a *RowError for a row it had to skip, or io.EOF.
func (r *SettlementReader) Next() (SettlementRow, error) {
	if err := r.t.next(); err != nil {
		return SettlementRow{}, err
	}
	return parseSettlement(r.t)
}

// parseSettlement types the current row of t.
func parseSettlement(t *table) (SettlementRow, error) {
	v := t.vals
	s := SettlementRow{
		Line:                     t.line,
		SettlementID:             t.need(seSettlementID),
		SettlementStartDate:      t.date(seStartDate, false),
		SettlementEndDate:        t.date(seEndDate, false),
		DepositDate:              t.date(seDepositDate, false),
		TotalAmount:              t.amount(seTotalAmount),
		Currency:                 v[seCurrency],
		TransactionType:          v[seTransactionType],
		OrderID:                  v[seOrderID],
		MerchantOrderID:          v[seMerchantOrderID],
		AdjustmentID:             v[seAdjustmentID],
		ShipmentID:               v[seShipmentID],
		MarketplaceName:          v[seMarketplaceName],
		AmountType:               v[seAmountType],
		AmountDescription:        v[seAmountDescription],
		Amount:                   t.amount(seAmount),
		FulfillmentID:            v[seFulfillmentID],
		OrderItemCode:            v[seOrderItemCode],
		MerchantOrderItemID:      v[seMerchantOrderItemID],
		MerchantAdjustmentItemID: v[seMerchantAdjustmentItemID],
		SKU:                      v[seSKU],
		QuantityPurchased:        t.integer(seQuantityPurchased, false),
		PromotionID:              v[sePromotionID],
		IsSummary:                v[seTransactionType] == "",
	}
	if v[sePostedDateTime] != "" {
		s.PostedDate = t.date(sePostedDateTime, false)
	} else {
		s.PostedDate = t.date(sePostedDate, false)
	}
	if err := t.rowErr(); err != nil {
		return SettlementRow{}, err
	}
	return s, nil
}
