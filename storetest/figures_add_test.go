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

// TestFiguresAddedOrders imports one buyer's orders one batch at a time, in an order that
// takes every way the figures of new orders are kept: added to the stored rows, and
// recomputed when the latest purchase moves to another currency or when feedback arrived
// before its order. After every batch the kept figures must equal a recompute (Reindex).
//
// Shops 1 and 3 are US (USD, Los Angeles), shop 2 UK (GBP, London); rates in 2024: USD 7.18,
// GBP 9.18 CNY. The orders, all of a@x.com:
//
//	U1 shop 1 2024-03-01 10:00Z  A ×2 $20.00
//	K1 shop 2 2024-04-10 12:00Z  D ×3 £30.00   latest purchase moves to GBP: recompute
//	U0 shop 1 2024-02-01 10:00Z  E ×1  $5.00   a new first purchase: added
//	U5 shop 1 2024-04-10 12:00Z  F ×1 $10.00   1★ feedback stored before it: recompute
//	S1 shop 3 2024-04-10 12:00Z  G ×1  $7.00   same second as K1 and U5, the largest shop id: the
//	                                          latest; a tie with the stored latest: recompute
//	then U5 and S1 swap prices ($7.00 and $10.00): only the shop rows change.
//
// By hand, at the end:
//
//	all shops: 5 orders, 8 units; currency USD (S1 is the latest); amount in USD =
//	  2000 + 500 + 700 + 1000 + 3000×9.18/7.18 (3835.65 → 3836) = 8036; per order 1607.2 → 1607
//	  CNY = (2000+500+700+1000)×7.18 (14360+3590+5026+7180) + 27540 = 57696
//	  feedback 1 of 5 (0.2), bad 1 of 1; first 2024-02-01 02:00:00 PST, last 2024-04-10 05:00:00 PDT
//	shop 1: U1 U0 U5: 3 orders, 4 units, $32.00, CNY 229.76, per order 10.67, feedback 1/3 (3333), bad 1
//	shop 2: K1 as in the fixture; shop 3: S1 at $10.00, CNY 71.80.
func TestFiguresAddedOrders(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShops(t, s, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}, &shopcrm.Shop{SID: 2, Name: "UK", Marketplace: "UK"},
			&shopcrm.Shop{SID: 3, Name: "US2", Marketplace: "US"})
		at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
		order := func(sid int64, number, when, sku string, qty int64, price shopcrm.Amount) *shopcrm.Order {
			cur := "USD"
			if sid == 2 {
				cur = "GBP"
			}
			return &shopcrm.Order{SID: sid, Number: number, BuyerEmail: "a@x.com", BuyerName: "Ann", PurchaseTime: at(when),
				UpdatedTime: at(when), Status: "Shipped", Currency: cur, Items: []shopcrm.OrderItem{{SKU: sku, Quantity: qty, Price: price}}}
		}
		kept := func(step string) {
			t.Helper()
			before, beforeLast := readFigures(t, s), readLastOrders(t, s)
			if err := s.Reindex(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(readFigures(t, s), before); diff != "" {
				t.Fatalf("%s: kept figures differ from a recompute (-recomputed +kept):\n%s", step, diff)
			}
			if diff := cmp.Diff(readLastOrders(t, s), beforeLast); diff != "" {
				t.Fatalf("%s: kept latest orders differ from a recompute (-recomputed +kept):\n%s", step, diff)
			}
		}
		upsert := func(step string, o *shopcrm.Order) {
			t.Helper()
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{o}); err != nil {
				t.Fatal(err)
			}
			kept(step)
		}
		upsert("U1", order(1, "U1", "2024-03-01T10:00:00Z", "A", 2, 2000))
		upsert("K1", order(2, "K1", "2024-04-10T12:00:00Z", "D", 3, 3000))
		upsert("U0", order(1, "U0", "2024-02-01T10:00:00Z", "E", 1, 500))
		if _, err := s.UpsertFeedback(ctx, []*shopcrm.Feedback{{SID: 1, OrderNumber: "U5", Rating: 1, Date: at("2024-04-12T00:00:00Z")}}); err != nil {
			t.Fatal(err)
		}
		upsert("U5", order(1, "U5", "2024-04-10T12:00:00Z", "F", 1, 1000))
		upsert("S1", order(3, "S1", "2024-04-10T12:00:00Z", "G", 1, 700))

		logged := func() int {
			var n int
			if err := s.DB().QueryRow(`SELECT count(*) FROM buyer_changes`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		all := readFigures(t, s)[0]
		n := logged()
		u5, s1 := order(1, "U5", "2024-04-10T12:00:00Z", "F", 1, 700), order(3, "S1", "2024-04-10T12:00:00Z", "G", 1, 1000)
		u5.UpdatedTime, s1.UpdatedTime = u5.UpdatedTime.Add(time.Hour), s1.UpdatedTime.Add(time.Hour)
		if res, err := s.UpsertOrders(ctx, []*shopcrm.Order{u5, s1}); err != nil || res.Updated != 2 {
			t.Fatalf("swap: %+v, %v", res, err)
		}
		if got := readFigures(t, s)[0]; got != all {
			t.Fatalf("the swap changed the all-shops row:\n%+v\n%+v", all, got)
		}
		// The list's index learns of changes from buyer_changes; a change to shop rows alone
		// must be logged too.
		if logged() == n {
			t.Fatal("a change to shop rows only was not logged in buyer_changes")
		}
		kept("swap")

		want := []figureRow{
			{Email: "a@x.com", Name: "ann", SID: 0, Orders: 5, Units: 8, Amount: 8036, Currency: "USD", CNY: 57696, USD: 8036, PerCustomer: 1607,
				Feedback: 1, FeedbackBad: 1, FeedbackRate: 2000, FeedbackBadRate: 10000,
				First: "2024-02-01 02:00:00", Last: "2024-04-10 05:00:00"},
			{Email: "a@x.com", Name: "ann", SID: 1, Orders: 3, Units: 4, Amount: 3200, Currency: "USD", CNY: 22976, USD: 3200, PerCustomer: 1067,
				Feedback: 1, FeedbackBad: 1, FeedbackRate: 3333, FeedbackBadRate: 10000,
				First: "2024-02-01 02:00:00", Last: "2024-04-10 05:00:00"},
			{Email: "a@x.com", Name: "ann", SID: 2, Orders: 1, Units: 3, Amount: 3000, Currency: "GBP", CNY: 27540, USD: 3836, PerCustomer: 3000,
				First: "2024-04-10 13:00:00", Last: "2024-04-10 13:00:00"},
			{Email: "a@x.com", Name: "ann", SID: 3, Orders: 1, Units: 1, Amount: 1000, Currency: "USD", CNY: 7180, USD: 1000, PerCustomer: 1000,
				First: "2024-04-10 05:00:00", Last: "2024-04-10 05:00:00"},
		}
		if diff := cmp.Diff(want, readFigures(t, s)); diff != "" {
			t.Fatalf("figures (-want +got):\n%s", diff)
		}
		// S1 is the fifth order written; ids start at 1 in a fresh store.
		if diff := cmp.Diff([][2]int64{{3, 5}, {1, 4}, {2, 2}, {3, 5}}, readLastOrders(t, s)); diff != "" {
			t.Fatalf("last shop and order per row (-want +got):\n%s", diff)
		}
	})
}

// readLastOrders returns last_sid and last_order_id of every figures row.
func readLastOrders(t *testing.T, s *sqlstore.Store) [][2]int64 {
	t.Helper()
	rows, err := s.DB().Query(`SELECT last_sid, last_order_id FROM customer_figures_expanded ORDER BY customer_id, sid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var v [2]int64
		if err := rows.Scan(&v[0], &v[1]); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}
