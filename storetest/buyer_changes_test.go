package storetest_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestBuyerChangesLogged checks the log that tells every server process which buyers' list
// rows changed (migration 00030; per statement on PostgreSQL since 00036): a write logs
// exactly the customers whose all-shops figures row it inserted, rewrote or deleted.
func TestBuyerChangesLogged(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		after := int64(0)
		// since returns the customers logged after the previous call, sorted, each once.
		since := func() []int64 {
			t.Helper()
			rows, err := s.DB().Query(`SELECT seq, customer_id FROM buyer_changes WHERE seq > $1 ORDER BY seq`, after)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var ids []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&after, &id); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			slices.Sort(ids)
			return slices.Compact(ids)
		}
		at := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
		mustOrder(t, s, "111-1", "ann@example.com", 500, at, "")
		ann := customerIDByEmail(t, s, "ann@example.com")
		if diff := cmp.Diff([]int64{ann}, since()); diff != "" {
			t.Fatalf("first order (-want +got):\n%s", diff)
		}

		orders := []*shopcrm.Order{}
		for i, email := range []string{"bob@example.com", "cat@example.com", "ann@example.com"} {
			orders = append(orders, &shopcrm.Order{SID: 1, Number: "111-" + string(rune('2'+i)), BuyerEmail: email,
				PurchaseTime: at.AddDate(0, 0, i+1), Status: "Shipped", SalesChannel: "Amazon.com", Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "SKU1", Quantity: 1, Price: 700}}})
		}
		if _, err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		bob, cat := customerIDByEmail(t, s, "bob@example.com"), customerIDByEmail(t, s, "cat@example.com")
		want := []int64{ann, bob, cat}
		slices.Sort(want)
		if diff := cmp.Diff(want, since()); diff != "" {
			t.Fatalf("one call for three buyers, ann's row rewritten (-want +got):\n%s", diff)
		}

		// The same rows again change no figures and log nothing.
		if _, err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		if got := since(); len(got) != 0 {
			t.Fatalf("a re-import logged %v", got)
		}

		if _, err := s.UpdateCustomer(ctx, bob, shopcrm.CustomerUpdate{FullName: ptr("Bob Buyer")}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{bob}, since()); diff != "" {
			t.Fatalf("a renamed buyer (-want +got):\n%s", diff)
		}

		if err := s.DeleteCustomer(ctx, cat); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{cat}, since()); diff != "" {
			t.Fatalf("a deleted buyer (-want +got):\n%s", diff)
		}

		// A figures row of a customer without orders (as an older store may hold) goes at
		// reindex, and is logged; the rows reindex finds right are not.
		dan := mustCustomer(t, s, &shopcrm.Customer{FullName: "dan", Email: "dan@example.com"}).ID
		const cols = `sid, email_key, name_key, orders, units, amount, currency, amount_cny, amount_usd, per_customer,
			per_customer_cny, refund_orders, refund_units, refund_rate, return_orders, return_units, return_rate,
			exchange_orders, exchange_units, feedback_count, feedback_bad, feedback_rate, feedback_bad_rate,
			first_purchase, last_purchase, first_purchase_at, last_purchase_at, last_order_id, last_sid`
		if _, err := s.DB().Exec(`INSERT INTO customer_figures (customer_id, `+cols+`) SELECT $1, `+cols+`
			FROM customer_figures WHERE customer_id = $2 AND sid = 0`, dan, ann); err != nil {
			t.Fatal(err)
		}
		since() // the row written by hand is logged too
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]int64{dan}, since()); diff != "" {
			t.Fatalf("reindex (-want +got):\n%s", diff)
		}
	})
}
