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

// TestFiguresEarlyAfterSales: a refund and a feedback stored before their orders count when
// the orders arrive in a later transaction, for a customer with stored figures (added to)
// and for a new one (built from the batch). By hand, shop 1 (US):
//
//	a@x.com: A1 2024-03-01 1 unit $10.00, then A2 2024-03-15 2 units $20.00 with a 1-unit
//	  refund stored before it: 2 orders, 3 units, $30.00, 1 refund order of 1 unit.
//	b@x.com: B1 2024-03-16 1 unit $5.00 with 2★ feedback stored before it: 1 order,
//	  1 feedback, 1 bad.
//
// An All Orders row of an order without a buyer (C1) is not looked up and changes nothing.
func TestFiguresEarlyAfterSales(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		at := func(v string) time.Time { t, _ := time.Parse(time.RFC3339, v); return t }
		order := func(number, email, when string, qty int64, price shopcrm.Amount) *shopcrm.Order {
			return &shopcrm.Order{SID: 1, Number: number, BuyerEmail: email, PurchaseTime: at(when), UpdatedTime: at(when),
				Status: "Shipped", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: qty, Price: price}}}
		}
		if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{order("A1", "a@x.com", "2024-03-01T10:00:00Z", 1, 1000)}); err != nil {
			t.Fatal(err)
		}
		_, err := s.UpsertAfterSales(ctx, []*shopcrm.AfterSale{{ItemIdentifier: "refund:A2", SID: 1, OrderNumber: "A2",
			Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1, Time: at("2024-03-20T10:00:00Z"), Currency: "USD",
			AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -1000}}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertFeedback(ctx, []*shopcrm.Feedback{{SID: 1, OrderNumber: "B1", Rating: 2, Date: at("2024-03-25T00:00:00Z")}}); err != nil {
			t.Fatal(err)
		}
		noBuyer := order("C1", "", "2024-03-17T10:00:00Z", 1, 100)
		_, err = s.UpsertOrders(ctx, []*shopcrm.Order{order("A2", "a@x.com", "2024-03-15T10:00:00Z", 2, 2000),
			order("B1", "b@x.com", "2024-03-16T10:00:00Z", 1, 500), noBuyer})
		if err != nil {
			t.Fatal(err)
		}
		kept := readFigures(t, s)
		type counts struct{ Orders, Units, Amount, RefundOrders, RefundUnits, Feedback, FeedbackBad int64 }
		var got []counts
		for _, r := range kept {
			got = append(got, counts{r.Orders, r.Units, r.Amount, r.RefundOrders, r.RefundUnits, r.Feedback, r.FeedbackBad})
		}
		a, b := counts{2, 3, 3000, 1, 1, 0, 0}, counts{1, 1, 500, 0, 0, 1, 1}
		if diff := cmp.Diff([]counts{a, a, b, b}, got); diff != "" {
			t.Errorf("figures, all shops and shop 1 of a then b (-want +got):\n%s", diff)
		}
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(readFigures(t, s), kept); diff != "" {
			t.Errorf("kept figures differ from a recompute (-recomputed +kept):\n%s", diff)
		}
	})
}

// TestFiguresEarlyFeedbackOnly: in a shop that has feedback but no after-sale, a 1★ rating
// stored before its order still counts when the order arrives: an import does not look up
// a shop with neither, and this shop has one of the two. By hand: c@x.com, one order D1 of
// 1 unit at $8.00, 1 feedback, 1 bad, in the all-shops row and in shop 1's.
func TestFiguresEarlyFeedbackOnly(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		at := func(v string) time.Time { t, _ := time.Parse(time.RFC3339, v); return t }
		if _, err := s.UpsertFeedback(ctx, []*shopcrm.Feedback{{SID: 1, OrderNumber: "D1", Rating: 1, Date: at("2024-05-02T00:00:00Z")}}); err != nil {
			t.Fatal(err)
		}
		_, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: 1, Number: "D1", BuyerEmail: "c@x.com", PurchaseTime: at("2024-05-01T10:00:00Z"),
			UpdatedTime: at("2024-05-01T10:00:00Z"), Status: "Shipped", Currency: "USD",
			Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 800}}}})
		if err != nil {
			t.Fatal(err)
		}
		type counts struct{ SID, Orders, Units, Amount, Feedback, FeedbackBad int64 }
		var got []counts
		for _, r := range readFigures(t, s) {
			got = append(got, counts{r.SID, r.Orders, r.Units, r.Amount, r.Feedback, r.FeedbackBad})
		}
		if diff := cmp.Diff([]counts{{0, 1, 1, 800, 1, 1}, {1, 1, 1, 800, 1, 1}}, got); diff != "" {
			t.Errorf("figures (-want +got):\n%s", diff)
		}
	})
}
