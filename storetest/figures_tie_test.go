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

// TestFiguresSameSecond: two orders of one buyer bought in the same second, in shop 1 (US,
// USD, Los Angeles) and shop 2 (UK, GBP, London), are ordered by shop id whatever order they
// are imported in: a@x.com gets the US order first, b@x.com the UK order first, each in its
// own batch, and both end with the same figures, equal to a recompute.
//
// By hand (rates in 2024: USD 7.18, GBP 9.18 CNY), for each buyer:
//
//	U  shop 1 2024-04-10 12:00Z  $20.00  the first purchase: 05:00:00 PDT
//	K  shop 2 2024-04-10 12:00Z  £30.00  the last: 13:00:00 BST, so the all-shops row is in GBP
//	all shops: 2 orders, amount 2000×7.18/9.18 (1564.27 → 1564) + 3000 = £45.64, per order 22.82;
//	  CNY 14360 + 27540 = 41900; USD 2000 + 3000×9.18/7.18 (3835.65 → 3836) = 5836
func TestFiguresSameSecond(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		for _, sh := range []*shopcrm.Shop{{SID: 1, Name: "US", Marketplace: "US"}, {SID: 2, Name: "UK", Marketplace: "UK"}} {
			if err := s.CreateShop(ctx, sh); err != nil {
				t.Fatal(err)
			}
		}
		when := time.Date(2024, 4, 10, 12, 0, 0, 0, time.UTC)
		order := func(buyer string, sid int64) *shopcrm.Order {
			o := &shopcrm.Order{SID: sid, Number: buyer + "-US", BuyerEmail: buyer + "@x.com", PurchaseTime: when, UpdatedTime: when,
				Status: "Shipped", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 2000}}}
			if sid == 2 {
				o.Number, o.Currency, o.Items[0].Price = buyer+"-UK", "GBP", 3000
			}
			return o
		}
		for _, o := range []*shopcrm.Order{order("a", 1), order("b", 2), order("a", 2), order("b", 1)} {
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{o}); err != nil {
				t.Fatal(err)
			}
		}
		want := []figureRow{}
		for _, buyer := range []string{"a", "b"} {
			want = append(want,
				figureRow{Email: buyer + "@x.com", SID: 0, Orders: 2, Units: 2, Amount: 4564, Currency: "GBP", CNY: 41900, USD: 5836,
					PerCustomer: 2282, First: "2024-04-10 05:00:00", Last: "2024-04-10 13:00:00"},
				figureRow{Email: buyer + "@x.com", SID: 1, Orders: 1, Units: 1, Amount: 2000, Currency: "USD", CNY: 14360, USD: 2000,
					PerCustomer: 2000, First: "2024-04-10 05:00:00", Last: "2024-04-10 05:00:00"},
				figureRow{Email: buyer + "@x.com", SID: 2, Orders: 1, Units: 1, Amount: 3000, Currency: "GBP", CNY: 27540, USD: 3836,
					PerCustomer: 3000, First: "2024-04-10 13:00:00", Last: "2024-04-10 13:00:00"})
		}
		if diff := cmp.Diff(want, readFigures(t, s)); diff != "" {
			t.Fatalf("figures kept on write (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([][2]int64{{2, 3}, {1, 1}, {2, 3}, {2, 2}, {1, 4}, {2, 2}}, readLastOrders(t, s)); diff != "" {
			t.Fatalf("last shop and order per row (-want +got):\n%s", diff)
		}
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, readFigures(t, s)); diff != "" {
			t.Fatalf("figures after reindex (-want +got):\n%s", diff)
		}
	})
}
