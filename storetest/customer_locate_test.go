package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// CustomerIDs finds stored customers by e-mail as an import links its buyers to them (case
// and spaces folded), keys them by the addresses as asked, leaves out those it does not
// have; LastCustomerID says the highest id, 0 for a store without customers.
func TestCustomerIDs(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		ids, err := s.CustomerIDs(ctx, []string{"a@example.com"})
		top, err2 := s.LastCustomerID(ctx)
		if err != nil || err2 != nil || len(ids) != 0 || top != 0 {
			t.Fatalf("empty store: %v, highest id %d, %v, %v; want nothing, 0", ids, top, err, err2)
		}
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		var orders []*shopcrm.Order
		for i, email := range []string{"b@example.com", "a@example.com", "c@example.com"} {
			orders = append(orders, &shopcrm.Order{SID: 1, Number: "111-" + email, BuyerEmail: email, Status: "Shipped",
				PurchaseTime: time.Date(2025, 5, 1+i, 8, 0, 0, 0, time.UTC), Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "SKU1", Quantity: 1, Price: 1000}}})
		}
		for _, o := range orders { // one at a time: b, a, c get ids in that order
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{o}); err != nil {
				t.Fatal(err)
			}
		}
		want := map[string]int64{}
		for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
			var id int64
			if err := s.DB().QueryRow(`SELECT id FROM customers WHERE email_key = $1`, email).Scan(&id); err != nil {
				t.Fatal(err)
			}
			want[email] = id
		}
		if !(want["b@example.com"] < want["a@example.com"] && want["a@example.com"] < want["c@example.com"]) {
			t.Fatalf("customer ids %v, want b < a < c", want)
		}
		ids, err = s.CustomerIDs(ctx, []string{"A@Example.com", " c@example.com", "missing@example.com", "", "a@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if top, err = s.LastCustomerID(ctx); err != nil {
			t.Fatal(err)
		}
		wantIDs := map[string]int64{"A@Example.com": want["a@example.com"], " c@example.com": want["c@example.com"],
			"a@example.com": want["a@example.com"]}
		if diff := cmp.Diff(wantIDs, ids); diff != "" {
			t.Errorf("ids (-want +got):\n%s", diff)
		}
		if top != want["c@example.com"] {
			t.Errorf("highest id %d, want %d", top, want["c@example.com"])
		}
	})
}
