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
	o := &shopcrm.Order{SID: 1, Number: "1", PurchaseTime: time.Unix(1, 0), Currency: "USD", Items: []shopcrm.OrderItem{
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
}

func TestAfterSaleValidateBounds(t *testing.T) {
	a := &shopcrm.AfterSale{ItemIdentifier: "x", SID: 1, OrderNumber: "1", Type: shopcrm.AfterSaleRefund,
		Time: time.Unix(1, 0), Quantity: shopcrm.MaxQuantity,
		AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -shopcrm.MaxLineAmount}}}
	if err := a.Validate(); err != nil {
		t.Fatalf("the bounds themselves: %v", err)
	}
	a.Quantity++
	a.AmountDetails = append(a.AmountDetails, shopcrm.MoneyDetail{Type: "Goodwill%", Amount: -shopcrm.MaxLineAmount - 1})
	a.CostDetails = []shopcrm.MoneyDetail{{Type: "Commission", Amount: shopcrm.MaxLineAmount + 1}}
	want := []string{"after_quantity: more than 1000000", "amount_details: Goodwill% out of range",
		"cost_details: Commission out of range"}
	if diff := cmp.Diff(want, fieldsOf(t, a.Validate())); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}
