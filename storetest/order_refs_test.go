package storetest_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// The references an import writes hold on both engines, though no foreign key checks them
// (postgres migration 00038, sqlite migration 00042).

func TestOrdersOfUnknownShop(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustOrder(t, s, "111-1", "a@example.com", 500, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "")
		_, err := s.UpsertOrders(ctx, []*shopcrm.Order{
			{SID: 1, Number: "111-2", BuyerEmail: "b@example.com", PurchaseTime: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: 100}}},
			{SID: 7, Number: "777-1", BuyerEmail: "c@example.com", PurchaseTime: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: 100}}},
		})
		wantCode(t, err, shopcrm.EINVALID)
		if !strings.Contains(err.Error(), "unknown shop 7") {
			t.Fatalf("error %q does not name shop 7", err)
		}
		// The batch is refused whole: the order of the known shop and both buyers too.
		for q, want := range map[string]int{
			`SELECT count(*) FROM orders`:    1,
			`SELECT count(*) FROM customers`: 1,
		} {
			var n int
			if err := s.DB().QueryRow(q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Errorf("%s = %d, want %d", q, n, want)
			}
		}
	})
}

// TestDeleteCustomerDuringImport deletes a buyer while an import that links orders to it is
// still open. The delete waits for the import, then takes the import's orders off the buyer
// and its figures with it: no order and no figures row points at a customer that is gone.
func TestDeleteCustomerDuringImport(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		mustOrder(t, s, "111-1", "gone@example.com", 500, day, "")
		id := customerIDByEmail(t, s, "gone@example.com")

		linked, deleted := make(chan struct{}), make(chan error, 1)
		go func() {
			<-linked
			deleted <- s.DeleteCustomer(context.Background(), id)
		}()
		err := s.Bulk(ctx, func(ctx context.Context) error {
			_, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: 1, Number: "111-2", BuyerEmail: "gone@example.com",
				PurchaseTime: day.AddDate(0, 0, 1), Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 2, Price: 900}}}})
			if err != nil {
				return err
			}
			close(linked)
			// Time for the delete to reach the customer and wait; if it has not by then, it
			// runs after the import, which must end the same.
			time.Sleep(300 * time.Millisecond)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := <-deleted; err != nil {
			t.Fatal(err)
		}
		var linkedOrders, figures int
		if err := s.DB().QueryRow(`SELECT count(*) FROM orders WHERE customer_id = $1`, id).Scan(&linkedOrders); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().QueryRow(`SELECT count(*) FROM customer_figures_expanded WHERE customer_id = $1`, id).Scan(&figures); err != nil {
			t.Fatal(err)
		}
		if linkedOrders != 0 || figures != 0 {
			t.Fatalf("after the delete %d orders and %d figures rows still point at customer %d", linkedOrders, figures, id)
		}
		var cid sql.NullInt64
		if err := s.DB().QueryRow(`SELECT customer_id FROM orders WHERE number = '111-2'`).Scan(&cid); err != nil {
			t.Fatalf("the import's order is missing: %v", err)
		}
	})
}
