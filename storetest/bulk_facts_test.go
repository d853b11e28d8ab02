package storetest_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// figuresByEmail reads the customer_figures rows that tests check by hand, per buyer and
// shop: orders, units, amount, refund orders/units, return orders/units, exchange
// orders/units, feedback count and bad.
func figuresByEmail(t *testing.T, s *sqlstore.Store) map[string][11]int64 {
	t.Helper()
	rows, err := s.DB().Query(`SELECT c.email_key, f.sid, f.orders, f.units, f.amount, f.refund_orders, f.refund_units,
		f.return_orders, f.return_units, f.exchange_orders, f.exchange_units, f.feedback_count, f.feedback_bad
		FROM customer_figures_expanded f JOIN customers c ON c.id = f.customer_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][11]int64{}
	for rows.Next() {
		var email string
		var sid int64
		var v [11]int64
		if err := rows.Scan(&email, &sid, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10]); err != nil {
			t.Fatal(err)
		}
		out[email+" "+strconv.FormatInt(sid, 10)] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBulkFactsFollowEveryPath writes, inside one Bulk, orders, after-sales and feedback in
// every way that the figures folded from the Bulk's memory must either follow or hand over
// to a recompute from the store. The figures at the end must equal a Reindex, and the
// rows worked out by hand below. All orders are in shop 1 (US, USD), one line each.
//
// Before the Bulk: old@x.com with O1 ($10, 1 unit); an after-sale refund of E1 (2 units)
// and 1★ feedback on E2, both before their orders; N1 ($5) with no buyer yet.
//
// In the Bulk:
//
//	O2 old@x.com $20 ×2                   a customer from before: recomputed → 2 orders, 3 units, $30
//	E1 b1 $10 ×2, E2 b2 $10 ×1            after-sale/feedback stored first → refund 1/2; feedback 1, bad 1
//	L1 no buyer $7, refund 1 unit of it,  then L1 again with b3: linked → 1 order $7, refund 1/1
//	L2 no buyer $7, refund 1 unit, the same item then a return; then L2 with b11 → return 1/1
//	N1 again with b4, and N2 b4 $3        a stored order moved to b4 → 2 orders, $8
//	R1 b5 $10 ×3, refund 1 unit, then the same item a return of 2 units → return 1/2, no refund
//	F1 b6 $10 3★ feedback, then 1★        → feedback 1, bad 1
//	F3 no buyer $10, 3★ then 1★, then F3 with b12 → feedback 1, bad 1
//	F2 b7 $10 ×2, 2★ (bad), exchange 1, return 2 → feedback 1/1, exchange 1/1, return 1/2
//	C1 b8 $10, then cancelled             → no figures
//	M1 b9 $10, then M1 with b10           → b9 no figures, b10 1 order $10
func TestBulkFactsFollowEveryPath(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		n := 0
		order := func(number, email string, qty int64, cents shopcrm.Amount) *shopcrm.Order {
			n++
			return &shopcrm.Order{SID: 1, Number: number, BuyerEmail: email, PurchaseTime: day.Add(time.Duration(n) * time.Hour),
				UpdatedTime: day, Status: "Shipped", Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "S-" + number, Quantity: qty, Price: cents}}}
		}
		afterSale := func(id, number string, typ int, qty int64) *shopcrm.AfterSale {
			return &shopcrm.AfterSale{ItemIdentifier: id, SID: 1, OrderNumber: number, Type: typ, SKU: "S-" + number,
				Quantity: qty, Time: day.Add(48 * time.Hour)}
		}
		feedback := func(number string, rating int) *shopcrm.Feedback {
			return &shopcrm.Feedback{SID: 1, OrderNumber: number, Rating: rating, Date: day.Add(72 * time.Hour)}
		}
		orders := func(ctx context.Context, os ...*shopcrm.Order) {
			t.Helper()
			if _, err := s.UpsertOrders(ctx, os); err != nil {
				t.Fatal(err)
			}
		}
		afterSales := func(ctx context.Context, as ...*shopcrm.AfterSale) {
			t.Helper()
			if _, err := s.UpsertAfterSales(ctx, as); err != nil {
				t.Fatal(err)
			}
		}
		feedbacks := func(ctx context.Context, fs ...*shopcrm.Feedback) {
			t.Helper()
			if _, err := s.UpsertFeedback(ctx, fs); err != nil {
				t.Fatal(err)
			}
		}

		orders(ctx, order("O1", "old@x.com", 1, 1000), order("N1", "", 1, 500))
		afterSales(ctx, afterSale("e1", "E1", shopcrm.AfterSaleRefund, 2))
		feedbacks(ctx, feedback("E2", 1))

		err := s.Bulk(ctx, func(ctx context.Context) error {
			orders(ctx, order("O2", "old@x.com", 2, 2000), order("E1", "b1@x.com", 2, 1000), order("E2", "b2@x.com", 1, 1000))
			orders(ctx, order("L1", "", 1, 700))
			afterSales(ctx, afterSale("l1", "L1", shopcrm.AfterSaleRefund, 1))
			orders(ctx, order("L1", "b3@x.com", 1, 700))
			orders(ctx, order("L2", "", 1, 700))
			afterSales(ctx, afterSale("l2", "L2", shopcrm.AfterSaleRefund, 1))
			afterSales(ctx, afterSale("l2", "L2", shopcrm.AfterSaleReturn, 1))
			orders(ctx, order("L2", "b11@x.com", 1, 700))
			orders(ctx, order("N1", "b4@x.com", 1, 500), order("N2", "b4@x.com", 1, 300))
			orders(ctx, order("R1", "b5@x.com", 3, 1000), order("F1", "b6@x.com", 1, 1000), order("F2", "b7@x.com", 2, 1000))
			afterSales(ctx, afterSale("r1", "R1", shopcrm.AfterSaleRefund, 1))
			afterSales(ctx, afterSale("r1", "R1", shopcrm.AfterSaleReturn, 2))
			feedbacks(ctx, feedback("F1", 3))
			feedbacks(ctx, feedback("F1", 1), feedback("F2", 2))
			afterSales(ctx, afterSale("f2x", "F2", shopcrm.AfterSaleExchange, 1), afterSale("f2r", "F2", shopcrm.AfterSaleReturn, 2))
			orders(ctx, order("F3", "", 1, 1000))
			feedbacks(ctx, feedback("F3", 3))
			feedbacks(ctx, feedback("F3", 1))
			orders(ctx, order("F3", "b12@x.com", 1, 1000))
			c1 := order("C1", "b8@x.com", 1, 1000)
			orders(ctx, c1)
			c1 = order("C1", "b8@x.com", 1, 1000)
			c1.Status, c1.UpdatedTime = "Cancelled", day.Add(time.Hour)
			orders(ctx, c1)
			orders(ctx, order("M1", "b9@x.com", 1, 1000))
			orders(ctx, order("M1", "b10@x.com", 1, 1000))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got := figuresByEmail(t, s)
		// orders, units, amount, refund o/u, return o/u, exchange o/u, feedback, bad
		want := map[string][11]int64{
			"old@x.com": {2, 3, 3000},
			"b1@x.com":  {1, 2, 1000, 1, 2},
			"b2@x.com":  {1, 1, 1000, 0, 0, 0, 0, 0, 0, 1, 1},
			"b3@x.com":  {1, 1, 700, 1, 1},
			"b11@x.com": {1, 1, 700, 0, 0, 1, 1},
			"b12@x.com": {1, 1, 1000, 0, 0, 0, 0, 0, 0, 1, 1},
			"b4@x.com":  {2, 2, 800},
			"b5@x.com":  {1, 3, 1000, 0, 0, 1, 2},
			"b6@x.com":  {1, 1, 1000, 0, 0, 0, 0, 0, 0, 1, 1},
			"b7@x.com":  {1, 2, 1000, 0, 0, 1, 2, 1, 1, 1, 1},
			"b10@x.com": {1, 1, 1000},
		}
		for email, v := range want {
			for _, sid := range []string{" 0", " 1"} {
				if got[email+sid] != v {
					t.Errorf("%s shop %s: got %v, want %v", email, sid, got[email+sid], v)
				}
			}
		}
		if len(got) != 2*len(want) {
			t.Errorf("%d figures rows, want %d: %v", len(got), 2*len(want), got)
		}
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(got, figuresByEmail(t, s)); diff != "" {
			t.Errorf("figures kept by the Bulk against a reindex (-bulk +reindex):\n%s", diff)
		}
	})
}
