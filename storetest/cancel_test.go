package storetest_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestWriteCancelled cancels writes of orders at moments spread over their transaction, as
// Ctrl-C does to an import, and checks that each one that fails says it was cancelled and
// that a cancelled batch leaves none of its orders. On PostgreSQL about 1 in 60 of these
// reported the closed connection instead ("sql: connection is already closed", "use of
// closed network connection"), which an import then printed as its reason.
func TestWriteCancelled(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		if err := s.CreateShop(context.Background(), &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		cancelled := 0
		for round := range 300 {
			orders := make([]*shopcrm.Order, 300)
			for i := range orders {
				orders[i] = &shopcrm.Order{SID: 1, Number: fmt.Sprintf("%d-%d", round, i), Currency: "USD",
					BuyerEmail: fmt.Sprintf("b%d@example.com", i%100), PurchaseTime: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
					Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: 100}, {SKU: "T", Quantity: 2, Price: 300}}}
			}
			ctx, cancel := context.WithCancel(context.Background())
			// The writes take a few milliseconds; the cancel falls anywhere from before the
			// first statement to after the commit.
			time.AfterFunc(time.Duration(round%12)*time.Millisecond, cancel)
			_, err := s.UpsertOrders(ctx, orders)
			cancel()
			var kept int
			if err := s.DB().QueryRow(`SELECT count(*) FROM orders WHERE number LIKE $1`, fmt.Sprintf("%d-%%", round)).Scan(&kept); err != nil {
				t.Fatal(err)
			}
			switch {
			case err == nil && kept != len(orders):
				t.Fatalf("round %d: committed with %d of %d orders", round, kept, len(orders))
			case err == nil:
			case !errors.Is(err, context.Canceled):
				t.Fatalf("round %d: a cancelled write reported %q", round, err)
			case kept != 0:
				t.Fatalf("round %d: cancelled, but %d orders were kept", round, kept)
			default:
				cancelled++
			}
		}
		if cancelled == 0 {
			t.Fatal("no write was cancelled: the test did not test")
		}
		t.Logf("%d of 300 writes cancelled", cancelled)
	})
}
