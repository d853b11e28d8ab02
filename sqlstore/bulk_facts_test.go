package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestBulkDropsFacts: a Bulk that outgrows its facts recomputes every customer from the
// store, and the figures are what they would have been. Shop 1 (USD), one line per order:
//
//	a@x.com A1 $10 ×1 with a 1-unit refund, A2 $20 ×2 with 1★ feedback → 2 orders, 3 units,
//	  $30, refund 1/1, feedback 1, bad 1
//	b@x.com B1 $5 ×1, written after the facts are dropped, with a 1-unit return → return 1/1
func TestBulkDropsFacts(t *testing.T) {
	defer sqlstore.LimitBulkFacts(2)()
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
		order := func(number, email string, qty int64, cents shopcrm.Amount) *shopcrm.Order {
			at = at.Add(time.Hour)
			return &shopcrm.Order{SID: 1, Number: number, BuyerEmail: email, PurchaseTime: at, Status: "Shipped",
				Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "S", Quantity: qty, Price: cents}}}
		}
		err := s.Bulk(ctx, func(ctx context.Context) error {
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{order("A1", "a@x.com", 1, 1000), order("A2", "a@x.com", 2, 2000)}); err != nil {
				return err
			}
			if _, err := s.UpsertAfterSales(ctx, []*shopcrm.AfterSale{{ItemIdentifier: "r", SID: 1, OrderNumber: "A1",
				Type: shopcrm.AfterSaleRefund, SKU: "S", Quantity: 1, Time: at}}); err != nil {
				return err
			}
			if _, err := s.UpsertFeedback(ctx, []*shopcrm.Feedback{{SID: 1, OrderNumber: "A2", Rating: 1, Date: at}}); err != nil {
				return err
			}
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{order("B1", "b@x.com", 1, 500)}); err != nil {
				return err
			}
			_, err := s.UpsertAfterSales(ctx, []*shopcrm.AfterSale{{ItemIdentifier: "t", SID: 1, OrderNumber: "B1",
				Type: shopcrm.AfterSaleReturn, SKU: "S", Quantity: 1, Time: at}})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.DB().Query(`SELECT c.email_key, f.sid, f.orders, f.units, f.amount, f.refund_orders, f.return_orders,
			f.feedback_count, f.feedback_bad FROM customer_figures_expanded f JOIN customers c ON c.id = f.customer_id ORDER BY 1, 2`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got [][9]any
		for rows.Next() {
			var email string
			var v [8]int64
			if err := rows.Scan(&email, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]); err != nil {
				t.Fatal(err)
			}
			got = append(got, [9]any{email, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]})
		}
		want := [][9]any{
			{"a@x.com", int64(0), int64(2), int64(3), int64(3000), int64(1), int64(0), int64(1), int64(1)},
			{"a@x.com", int64(1), int64(2), int64(3), int64(3000), int64(1), int64(0), int64(1), int64(1)},
			{"b@x.com", int64(0), int64(1), int64(1), int64(500), int64(0), int64(1), int64(0), int64(0)},
			{"b@x.com", int64(1), int64(1), int64(1), int64(500), int64(0), int64(1), int64(0), int64(0)},
		}
		if len(got) != len(want) {
			t.Fatalf("figures rows %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("row %d: got %v, want %v", i, got[i], want[i])
			}
		}
	})
}
