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

// TestFiguresLoneShopRow follows the rows a buyer's figures are stored in while it buys in
// one shop, then in two, then in one again. A buyer of one shop has one stored row, over all
// shops, which stands for its row in that shop too; customer_figures_expanded shows both.
// Shops 1 and 3 are US (USD), so the second shop's order is added to the stored rows, not
// recomputed; cancelling it recomputes the buyer.
//
//	U1 shop 1 2024-03-01 10:00Z  ×2 $20.00
//	U2 shop 1 2024-03-05 10:00Z  ×1  $5.00   added: still one row
//	S1 shop 3 2024-04-10 12:00Z  ×1  $7.00   added: rows for all shops, shop 1 and shop 3
//	S1 cancelled                             recomputed: one row again
//
// By hand, as (sid, orders, units, amount, last_sid): after U2 stored (0, 2, 3, 2500, 1) and
// shown (0, …) and (1, 2, 3, 2500, 1); after S1 stored and shown (0, 3, 4, 3200, 3),
// (1, 2, 3, 2500, 1), (3, 1, 1, 700, 3); after the cancel as after U2.
func TestFiguresLoneShopRow(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShops(t, s, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}, &shopcrm.Shop{SID: 3, Name: "US2", Marketplace: "US"})
		at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
		order := func(sid int64, number, when string, qty int64, price shopcrm.Amount) *shopcrm.Order {
			return &shopcrm.Order{SID: sid, Number: number, BuyerEmail: "a@x.com", BuyerName: "Ann", PurchaseTime: at(when),
				UpdatedTime: at(when), Status: "Shipped", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: qty, Price: price}}}
		}
		rowsOf := func(table string) [][5]int64 {
			t.Helper()
			rows, err := s.DB().Query(`SELECT sid, orders, units, amount, last_sid FROM ` + table + ` ORDER BY sid`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var out [][5]int64
			for rows.Next() {
				var v [5]int64
				if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4]); err != nil {
					t.Fatal(err)
				}
				out = append(out, v)
			}
			return out
		}
		step := func(name string, o *shopcrm.Order, stored, shown [][5]int64) {
			t.Helper()
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{o}); err != nil {
				t.Fatal(err)
			}
			for _, pass := range []string{"kept", "after reindex"} {
				if diff := cmp.Diff(stored, rowsOf("customer_figures")); diff != "" {
					t.Errorf("%s, %s: stored rows (-want +got):\n%s", name, pass, diff)
				}
				if diff := cmp.Diff(shown, rowsOf("customer_figures_expanded")); diff != "" {
					t.Errorf("%s, %s: rows shown by the view (-want +got):\n%s", name, pass, diff)
				}
				if err := s.Reindex(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		one := [][5]int64{{0, 2, 3, 2500, 1}}
		oneShown := [][5]int64{{0, 2, 3, 2500, 1}, {1, 2, 3, 2500, 1}}
		two := [][5]int64{{0, 3, 4, 3200, 3}, {1, 2, 3, 2500, 1}, {3, 1, 1, 700, 3}}
		step("U1", order(1, "U1", "2024-03-01T10:00:00Z", 2, 2000), [][5]int64{{0, 1, 2, 2000, 1}},
			[][5]int64{{0, 1, 2, 2000, 1}, {1, 1, 2, 2000, 1}})
		step("U2", order(1, "U2", "2024-03-05T10:00:00Z", 1, 500), one, oneShown)
		step("S1", order(3, "S1", "2024-04-10T12:00:00Z", 1, 700), two, two)
		cancelled := order(3, "S1", "2024-04-10T12:00:00Z", 1, 700)
		cancelled.Status, cancelled.UpdatedTime = "Cancelled", at("2024-04-11T00:00:00Z")
		step("S1 cancelled", cancelled, one, oneShown)

		// The customer list reads the buyer of one shop in that shop too.
		for _, sids := range [][]int64{{1}, {1, 3}, nil} {
			rows, total, err := s.FindBuyers(ctx, shopcrm.BuyerFilter{SIDs: sids, Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			if total != 1 || len(rows) != 1 || rows[0].Email != "a@x.com" || rows[0].Orders != 2 || rows[0].Units != 3 ||
				!cmp.Equal(rows[0].SIDs, []int64{1}) {
				t.Fatalf("customer list of shops %v: %d, %+v; want a@x.com with 2 orders and 3 units in shop 1", sids, total, rows)
			}
		}
		if rows, total, err := s.FindBuyers(ctx, shopcrm.BuyerFilter{SIDs: []int64{3}, Limit: 20}); err != nil || total != 0 {
			t.Fatalf("customer list of shop 3: %d, %+v, %v; want nobody", total, rows, err)
		}
	})
}
