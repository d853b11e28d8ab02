package shopcrm

import (
	"context"
	"time"
)

// After-sale types, numbered as the Lingxing after_type parameter.
const (
	AfterSaleRefund   = 1
	AfterSaleReturn   = 2
	AfterSaleExchange = 3
)

// AfterSaleTypeNames are Lingxing's labels for the types.
var AfterSaleTypeNames = map[int]string{AfterSaleRefund: "退款", AfterSaleReturn: "退货", AfterSaleExchange: "换货"}

// MoneyDetail is one component of a refund amount or cost (Principal, Commission…).
type MoneyDetail struct {
	Type   string `json:"type"`
	Amount Amount `json:"amount"`
}

// AfterSale is one refund, return or exchange of one order item. ItemIdentifier is its
// natural key: re-importing the same report row finds the same record.
type AfterSale struct {
	ID                  int64
	ItemIdentifier      string
	SID                 int64
	OrderNumber         string
	Type                int
	SKU                 string
	ASIN                string
	Quantity            int64
	Reason              string
	Time                time.Time // UTC
	DataUpdateTime      time.Time // UTC
	Status              string
	Currency            string
	AmountDetails       []MoneyDetail
	CostDetails         []MoneyDetail
	LPN                 string
	RMA                 string
	Carrier             string
	Waybill             string
	ExchangeOrderNumber string
	BuyerNote           string
	InventoryAttributes string
}

// RefundAmount sums the amount details.
func (a *AfterSale) RefundAmount() Amount {
	var s Amount
	for _, d := range a.AmountDetails {
		s += d.Amount
	}
	return s
}

// RefundCost sums the cost details.
func (a *AfterSale) RefundCost() Amount {
	var s Amount
	for _, d := range a.CostDetails {
		s += d.Amount
	}
	return s
}

// Validate checks an after-sale item before it is written.
func (a *AfterSale) Validate() error {
	var fe FieldErrors
	if a.ItemIdentifier == "" {
		fe.Add("item_identifier", "required")
	}
	if a.SID <= 0 {
		fe.Add("sid", "required")
	}
	if a.OrderNumber == "" {
		fe.Add("amazon_order_id", "required")
	}
	if _, ok := AfterSaleTypeNames[a.Type]; !ok {
		fe.Add("after_type", "must be 1, 2 or 3")
	}
	switch {
	case a.Time.IsZero():
		fe.Add("after_time", "required")
	case !TimeOK(a.Time):
		fe.Add("after_time", "%s is outside 1995 to 2099", a.Time.UTC().Format(time.RFC3339))
	}
	switch {
	case a.Quantity < 0:
		fe.Add("after_quantity", "must not be negative")
	case a.Quantity > MaxQuantity:
		fe.Add("after_quantity", "more than 1000000")
	}
	for _, d := range a.AmountDetails {
		if !LineAmountOK(d.Amount) {
			fe.Add("amount_details", "%s out of range", d.Type)
		}
	}
	for _, d := range a.CostDetails {
		if !LineAmountOK(d.Amount) {
			fe.Add("cost_details", "%s out of range", d.Type)
		}
	}
	return fe.Err()
}

// After-sale date types of the Lingxing filter.
const (
	AfterSaleByTime       = 1 // after_time
	AfterSaleByPurchase   = 2 // order purchase time
	AfterSaleByDataUpdate = 3 // data_update_time
)

// AfterSaleFilter selects after-sale orders: one record per (sid, order) with its matching items.
type AfterSaleFilter struct {
	SIDs          []int64 // empty = all
	Start, End    time.Time
	DateType      int
	Types         []int // empty = all
	OrderNumbers  []string
	Offset, Limit int
}

// AfterSaleOrder is an order with the after-sale items that matched a filter.
type AfterSaleOrder struct {
	ID         int64 // the order's id
	Order      *Order
	Shop       *Shop
	Items      []*AfterSaleItem
	SortTime   time.Time
	OrderTotal Amount // sum of the non-cancelled item prices
}

// AfterSaleItem is an after-sale record with the order item and product it refers to.
type AfterSaleItem struct {
	AfterSale
	Title    string
	Product  *Product
	RowIndex int
}

// AfterSaleService lists after-sale orders.
type AfterSaleService interface {
	FindAfterSaleOrders(ctx context.Context, filter AfterSaleFilter) ([]*AfterSaleOrder, int, error)
}
