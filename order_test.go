package shopcrm_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
)

// fieldsOf lists "field: message" of a validation error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	var e *shopcrm.Error
	if !errors.As(err, &e) || e.Code != shopcrm.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field+": "+f.Message)
	}
	return out
}

func TestOrderValidateBounds(t *testing.T) {
	o := &shopcrm.Order{SID: 1, Number: "1", PurchaseTime: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), Currency: "USD", Items: []shopcrm.OrderItem{
		{SKU: "A", Quantity: shopcrm.MaxQuantity, Price: shopcrm.MaxLineAmount, Tax: -shopcrm.MaxLineAmount},
	}}
	if err := o.Validate(); err != nil {
		t.Fatalf("the bounds themselves: %v", err)
	}
	o.Items = append(o.Items, shopcrm.OrderItem{SKU: "B", Quantity: shopcrm.MaxQuantity + 1,
		Price: shopcrm.MaxLineAmount + 1, Tax: -shopcrm.MaxLineAmount - 1})
	want := []string{"quantity: more than 1000000", "item_price: out of range", "item_tax: out of range"}
	if diff := cmp.Diff(want, fieldsOf(t, o.Validate())); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}

	o.Items = o.Items[:1]
	o.PurchaseTime, o.UpdatedTime = shopcrm.EarliestTime, shopcrm.LatestTime.Add(-time.Second)
	if err := o.Validate(); err != nil {
		t.Fatalf("the first and last times allowed: %v", err)
	}
	o.PurchaseTime, o.UpdatedTime = shopcrm.EarliestTime.Add(-time.Second), shopcrm.LatestTime
	want = []string{"purchase_date: 1994-12-31T23:59:59Z is outside 1995 to 2099",
		"updated_time: 2100-01-01T00:00:00Z is outside 1995 to 2099"}
	if diff := cmp.Diff(want, fieldsOf(t, o.Validate())); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}

func TestAfterSaleValidateBounds(t *testing.T) {
	a := &shopcrm.AfterSale{ItemIdentifier: "x", SID: 1, OrderNumber: "1", Type: shopcrm.AfterSaleRefund,
		Time: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), Quantity: shopcrm.MaxQuantity,
		AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -shopcrm.MaxLineAmount}}}
	if err := a.Validate(); err != nil {
		t.Fatalf("the bounds themselves: %v", err)
	}
	a.Quantity++
	a.Time = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
	a.AmountDetails = append(a.AmountDetails, shopcrm.MoneyDetail{Type: "Goodwill%", Amount: -shopcrm.MaxLineAmount - 1})
	a.CostDetails = []shopcrm.MoneyDetail{{Type: "Commission", Amount: shopcrm.MaxLineAmount + 1}}
	want := []string{"after_time: 9999-12-31T00:00:00Z is outside 1995 to 2099", "after_quantity: more than 1000000", "amount_details: Goodwill% out of range",
		"cost_details: Commission out of range"}
	if diff := cmp.Diff(want, fieldsOf(t, a.Validate())); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}
