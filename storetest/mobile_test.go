package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// An order's buyer mobile goes to a new customer and to one without a mobile, in the order's
// transaction; a mobile the seller set is kept; an order without one changes nothing.
func TestOrderBuyerMobile(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "Own", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		mustCustomer(t, s, &shopcrm.Customer{Email: "set@x.com", Mobile: "+1 555 0001"})
		mustCustomer(t, s, &shopcrm.Customer{Email: "bare@x.com"})
		at := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
		order := func(n, email, mobile string) *shopcrm.Order {
			return &shopcrm.Order{SID: 1, Number: n, BuyerEmail: email, BuyerMobile: mobile, PurchaseTime: at, Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 1000}}}
		}
		if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{
			order("1", "SET@x.com", "+1 555 9999"), order("2", "bare@x.com", "+1 555 0002"),
			order("3", "new@x.com", "+1 555 0003"), order("4", "none@x.com", ""),
		}); err != nil {
			t.Fatal(err)
		}
		// A later order of the same buyer with another number does not replace the first.
		if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{order("5", "bare@x.com", "+1 555 7777")}); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"set@x.com": "+1 555 0001", "bare@x.com": "+1 555 0002", "new@x.com": "+1 555 0003", "none@x.com": ""}
		for email, mobile := range want {
			var got string
			if err := s.DB().QueryRowContext(ctx, `SELECT mobile FROM customers WHERE email_key = $1`, email).Scan(&got); err != nil {
				t.Fatal(email, err)
			}
			if got != mobile {
				t.Errorf("%s: mobile %q, want %q", email, got, mobile)
			}
		}
		if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{order("6", "x@x.com", "0123456789012345678901234567890123")}); shopcrm.ErrorCode(err) != shopcrm.EINVALID {
			t.Errorf("a 34-character mobile: %v, want invalid", err)
		}
	})
}
