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

// TestFiguresChangedOrders writes new copies of stored orders, each changing one thing, and
// checks after each that the kept figures equal a recompute (Reindex). A copy that changes
// nothing a figure reads (an ASIN, a title, a later update of the same status) leaves its
// buyer's figures unrecomputed; every other change must reach them.
//
// a@x.com has orders A1 (2024-03-01, 2 × $10.00) and A2 (2024-05-01, 1 × $5.00) in shop 1
// (US, USD); b@x.com has B1 (2024-04-01, 1 × $7.00).
func TestFiguresChangedOrders(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShops(t, s, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}, &shopcrm.Shop{SID: 2, Name: "UK", Marketplace: "UK"})
		at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
		updated := at("2024-06-01T00:00:00Z")
		order := func(number, email, when string, qty int64, price shopcrm.Amount) *shopcrm.Order {
			updated = updated.Add(time.Hour) // every copy is newer than the last
			return &shopcrm.Order{SID: 1, Number: number, BuyerEmail: email, PurchaseTime: at(when), UpdatedTime: updated,
				Status: "Shipped", Currency: "USD", SalesChannel: "Amazon.com",
				Items: []shopcrm.OrderItem{{SKU: "M", Quantity: qty, Price: price, Status: "Shipped"}}}
		}
		write := func(step string, o *shopcrm.Order) {
			t.Helper()
			if res, err := s.UpsertOrders(ctx, []*shopcrm.Order{o}); err != nil || res.Inserted+res.Updated != 1 {
				t.Fatalf("%s: %+v, %v", step, res, err)
			}
			kept := readFigures(t, s)
			if err := s.Reindex(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(readFigures(t, s), kept); diff != "" {
				t.Fatalf("%s: kept figures differ from a recompute (-recomputed +kept):\n%s", step, diff)
			}
		}
		write("A1", order("A1", "a@x.com", "2024-03-01T10:00:00Z", 2, 2000))
		write("A2", order("A2", "a@x.com", "2024-05-01T10:00:00Z", 1, 500))
		write("B1", order("B1", "b@x.com", "2024-04-01T10:00:00Z", 1, 700))
		start := readFigures(t, s)

		o := order("A1", "a@x.com", "2024-03-01T10:00:00Z", 2, 2000)
		o.Items[0].ASIN, o.Items[0].Title = "B000000001", "Mug"
		write("an ASIN and a title", o)
		if diff := cmp.Diff(start, readFigures(t, s)); diff != "" {
			t.Fatalf("an ASIN changed the figures (-before +after):\n%s", diff)
		}
		write("an earlier purchase time", order("A1", "a@x.com", "2024-02-01T10:00:00Z", 2, 2000))
		write("a later purchase time", order("A1", "a@x.com", "2024-06-01T10:00:00Z", 2, 2000))
		write("more units", order("A1", "a@x.com", "2024-06-01T10:00:00Z", 3, 2000))
		write("a higher price", order("A1", "a@x.com", "2024-06-01T10:00:00Z", 3, 2500))
		o = order("A2", "a@x.com", "2024-05-01T10:00:00Z", 1, 500)
		o.Currency = "GBP"
		write("another currency", o)
		o = order("A2", "a@x.com", "2024-05-01T10:00:00Z", 1, 500)
		o.Status = "Cancelled"
		write("cancelled", o)
		o = order("A2", "a@x.com", "2024-05-01T10:00:00Z", 1, 500)
		o.SalesChannel = "Non-Amazon"
		write("multi-channel", o)
		o = order("A2", "a@x.com", "2024-05-01T10:00:00Z", 1, 500)
		o.Items[0].Status = "Cancelled"
		write("its line cancelled", o)
		write("counted again", order("A2", "a@x.com", "2024-05-01T10:00:00Z", 1, 500))
		write("another buyer", order("B1", "a@x.com", "2024-04-01T10:00:00Z", 1, 700))
		got := readFigures(t, s)
		if len(got) != 2 || got[0].Orders != 3 || got[0].Units != 5 || got[0].Amount != 3700 {
			t.Fatalf("a@x.com at the end: %+v; want 3 orders (A1, A2, B1), 5 units, $37.00 and no row for b@x.com", got)
		}
	})
}
