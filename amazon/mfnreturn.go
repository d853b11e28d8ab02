package amazon

import (
	"io"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
)

// MFNReturn is one returned item from the merchant-fulfilled returns report
// (GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE) or its Seller Central UI export. Fields
// holding a single space in the file (Amazon writes " " for empty) read as empty.
type MFNReturn struct {
	Line                int
	OrderID             string
	OrderDate           time.Time // zero when empty
	ReturnRequestDate   time.Time
	ReturnRequestStatus string // Approved, Completed, Pending, Cancelled…
	AmazonRMAID         string
	MerchantRMAID       string
	LabelType           string
	LabelCost           shopcrm.Amount // 0 when empty
	Currency            string
	ReturnCarrier       string
	TrackingID          string
	LabelPaidBy         string // Customer, Seller, Amazon
	AToZClaim           bool
	IsPrime             bool
	ASIN                string
	MerchantSKU         string
	ItemName            string
	ReturnQuantity      int
	// ReturnReason is the code as written (CR-…, AMZ-PG-…, or UI text) minus the RO_ prefix
	// Amazon's return form adds.
	ReturnReason       string
	InPolicy           bool
	ReturnType         string // C-Returns…
	Resolution         string // StandardRefund, ReturnlessRefund, Replacement…
	InvoiceNumber      string
	ReturnDeliveryDate time.Time      // zero when empty
	OrderAmount        shopcrm.Amount // 0 when empty
	OrderQuantity      int
	RefundedAmount     shopcrm.Amount
	HasRefundedAmount  bool // false when the file leaves it empty (not refunded yet)
	OrderItemID        string
}

const (
	mrOrderID = iota
	mrOrderDate
	mrReturnRequestDate
	mrReturnRequestStatus
	mrAmazonRMAID
	mrMerchantRMAID
	mrLabelType
	mrLabelCost
	mrCurrency
	mrReturnCarrier
	mrTrackingID
	mrLabelPaidBy
	mrAToZClaim
	mrIsPrime
	mrASIN
	mrMerchantSKU
	mrItemName
	mrReturnQuantity
	mrReturnReason
	mrInPolicy
	mrReturnType
	mrResolution
	mrInvoiceNumber
	mrReturnDeliveryDate
	mrOrderAmount
	mrOrderQuantity
	mrRefundedAmount
	mrOrderItemID
)

var mfnReturnSpec = newSpec([]string{
	"order-id", "order-date", "return-request-date", "return-request-status", "amazon-rma-id",
	"merchant-rma-id", "label-type", "label-cost", "currency-code", "return-carrier", "tracking-id",
	"label-to-be-paid-by", "a-to-z-claim", "is-prime", "asin", "merchant-sku", "item-name",
	"return-quantity", "return-reason", "in-policy", "return-type", "resolution", "invoice-number",
	"return-delivery-date", "order-amount", "order-quantity", "refunded-amount", "order-item-id",
}, map[string]string{
	// Seller Central UI export spellings and the XML report's element names.
	"seller-rma-id":      "merchant-rma-id",
	"amazon-order-id":    "order-id",
	"currency":           "currency-code",
	"seller-sku":         "merchant-sku",
	"sku":                "merchant-sku",
	"label-paid-by":      "label-to-be-paid-by",
	"return-reason-code": "return-reason",
	"refund-amount":      "refunded-amount",
}, "order-id", "return-request-date", "merchant-sku", "return-quantity")

// MFNReturnReader reads the merchant-fulfilled returns report row by row.
type MFNReturnReader struct{ t *table }

// NewMFNReturnReader reads the header and fails when a required column is missing.
func NewMFNReturnReader(r io.Reader) (*MFNReturnReader, error) {
	t, err := newTable(r, mfnReturnSpec)
	if err != nil {
		return nil, err
	}
	return &MFNReturnReader{t: t}, nil
}

// Offset is how far into the input the reader has got (see OrderReader.Offset).
func (r *MFNReturnReader) Offset() int64 { return r.t.lr.offset() }

// Next returns the next row, a *RowError for a row it had to skip, or io.EOF.
func (r *MFNReturnReader) Next() (MFNReturn, error) {
	t := r.t
	if err := t.next(); err != nil {
		return MFNReturn{}, err
	}
	v := t.vals
	m := MFNReturn{
		Line:                t.line,
		OrderID:             t.need(mrOrderID),
		OrderDate:           t.date(mrOrderDate, false),
		ReturnRequestDate:   t.date(mrReturnRequestDate, true),
		ReturnRequestStatus: v[mrReturnRequestStatus],
		AmazonRMAID:         v[mrAmazonRMAID],
		MerchantRMAID:       v[mrMerchantRMAID],
		LabelType:           v[mrLabelType],
		LabelCost:           t.amount(mrLabelCost),
		Currency:            v[mrCurrency],
		ReturnCarrier:       v[mrReturnCarrier],
		TrackingID:          v[mrTrackingID],
		LabelPaidBy:         v[mrLabelPaidBy],
		AToZClaim:           t.flag(mrAToZClaim),
		IsPrime:             t.flag(mrIsPrime),
		ASIN:                v[mrASIN],
		MerchantSKU:         v[mrMerchantSKU],
		ItemName:            v[mrItemName],
		ReturnQuantity:      t.integer(mrReturnQuantity, true),
		ReturnReason:        strings.TrimPrefix(v[mrReturnReason], "RO_"),
		InPolicy:            t.flag(mrInPolicy),
		ReturnType:          v[mrReturnType],
		Resolution:          v[mrResolution],
		InvoiceNumber:       v[mrInvoiceNumber],
		ReturnDeliveryDate:  t.date(mrReturnDeliveryDate, false),
		OrderAmount:         t.amount(mrOrderAmount),
		OrderQuantity:       t.integer(mrOrderQuantity, false),
		OrderItemID:         v[mrOrderItemID],
	}
	m.RefundedAmount, m.HasRefundedAmount = t.optAmount(mrRefundedAmount)
	if err := t.rowErr(); err != nil {
		return MFNReturn{}, err
	}
	return m, nil
}
