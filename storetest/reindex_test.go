package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestReindexDropsStaleFigures gives a customer without orders a figures row, as a store
// written by a faulty version could hold, and checks that reindex deletes it and keeps the
// figures of a buyer with orders as they were.
func TestReindexDropsStaleFigures(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustOrder(t, s, "111-1", "buyer@example.com", 1250, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "")
		buyer := customerIDByEmail(t, s, "buyer@example.com")
		idle := mustCustomer(t, s, &shopcrm.Customer{FullName: "no orders", Email: "idle@example.com"}).ID
		_, err := s.DB().Exec(`INSERT INTO customer_figures
			SELECT $1, sid, 'idle@example.com', 'no orders', orders, units, amount, currency, amount_cny, amount_usd,
				per_customer, per_customer_cny, refund_orders, refund_units, refund_rate, return_orders, return_units,
				return_rate, exchange_orders, exchange_units, feedback_count, feedback_bad, feedback_rate,
				feedback_bad_rate, first_purchase, last_purchase, first_purchase_at, last_purchase_at, last_order_id, last_sid
			FROM customer_figures WHERE customer_id = $2`, idle, buyer)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			id          int64
			rows, count int64
		}{{idle, 0, 0}, {buyer, 2, 2}} { // the buyer: its shop's row and the row over all shops
			var rows, orders int64
			err := s.DB().QueryRow(`SELECT count(*), coalesce(sum(orders), 0) FROM customer_figures_expanded WHERE customer_id = $1`, c.id).
				Scan(&rows, &orders)
			if err != nil {
				t.Fatal(err)
			}
			if rows != c.rows || orders != c.count {
				t.Errorf("customer %d: %d figures rows counting %d orders, want %d and %d", c.id, rows, orders, c.rows, c.count)
			}
		}
	})
}
