package storetest_test

import (
	"context"
	"fmt"
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
		mustShops(t, s, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}, &shopcrm.Shop{SID: 2, Name: "UK", Marketplace: "UK"})
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

// TestBuyerListSameSecond: the customer list over some of a buyer's shops orders purchases
// of the same second as the figures rows do. c@x.com bought in shop 3 (US) in January, and
// in shops 1 (US) and 2 (UK) at 2024-04-10 02:00Z: 04-09 19:00 in Los Angeles, 04-10 03:00
// in London. Over shops 1 and 2, and over all shops, the last purchase is shop 2's, on
// 2024-04-10. The same when shop 1 is added after the list has loaded its index, which then
// meets shop 1 after shops 2 and 3.
func TestBuyerListSameSecond(t *testing.T) {
	for _, late := range []bool{false, true} {
		t.Run(fmt.Sprintf("late=%v", late), func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) { testBuyerListSameSecond(t, s, late) })
		})
	}
}

func testBuyerListSameSecond(t *testing.T, s *sqlstore.Store, late bool) {
	ctx := context.Background()
	us := &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}
	others := []*shopcrm.Shop{{SID: 2, Name: "UK", Marketplace: "UK"}, {SID: 3, Name: "US2", Marketplace: "US"}}
	if late {
		mustShops(t, s, others...)
		if _, _, err := s.FindBuyers(ctx, shopcrm.BuyerFilter{}); err != nil {
			t.Fatal(err)
		}
		mustShops(t, s, us)
	} else {
		mustShops(t, s, append([]*shopcrm.Shop{us}, others...)...)
	}
	for _, o := range []struct {
		sid  int64
		when time.Time
	}{{3, time.Date(2024, 1, 5, 12, 0, 0, 0, time.UTC)}, {1, time.Date(2024, 4, 10, 2, 0, 0, 0, time.UTC)},
		{2, time.Date(2024, 4, 10, 2, 0, 0, 0, time.UTC)}} {
		_, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: o.sid, Number: fmt.Sprint("C", o.sid), BuyerEmail: "c@x.com",
			PurchaseTime: o.when, UpdatedTime: o.when, Status: "Shipped", Currency: "USD",
			Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 1000}}}})
		if err != nil {
			t.Fatal(err)
		}
	}
	day := func(v string) time.Time { d, _ := time.Parse(time.DateOnly, v); return d }
	for _, sids := range [][]int64{{1, 2}, nil} {
		for _, c := range []struct {
			day  string
			want int
		}{{"2024-04-10", 1}, {"2024-04-09", 0}} {
			rows, total, err := s.FindBuyers(ctx, shopcrm.BuyerFilter{SIDs: sids, DateField: "last_purchase_date",
				Start: day(c.day), End: day(c.day)})
			if err != nil {
				t.Fatal(err)
			}
			if total != c.want || len(rows) != c.want {
				t.Errorf("shops %v, last purchase on %s: %d buyers, want %d", sids, c.day, total, c.want)
				continue
			}
			if c.want == 1 {
				if got := rows[0].LastPurchase.Format(time.DateTime); got != "2024-04-10 03:00:00" {
					t.Errorf("shops %v: last purchase %s, want London's 2024-04-10 03:00:00", sids, got)
				}
			}
		}
	}
}
