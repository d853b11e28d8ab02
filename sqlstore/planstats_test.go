package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/postgres"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestPlanStats: on PostgreSQL, bulk writes leave the planner statistics current. A table
// never analyzed has reltuples = -1; once the store has written the rows due, ANALYZE has run.
func TestPlanStats(t *testing.T) {
	s := storetest.MustOpenPostgres(t)
	ctx := context.Background()
	if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
		t.Fatal(err)
	}
	reltuples := func() float64 {
		var n float64
		if err := s.DB().QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'orders'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	order := func(n string) []*shopcrm.Order {
		return []*shopcrm.Order{{SID: 1, Number: n, BuyerEmail: n + "@x.com", PurchaseTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			Status: "Shipped", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 100}}}}
	}
	sqlstore.AnalyzeAfter(s, 1000)
	if _, err := s.UpsertOrders(ctx, order("1")); err != nil {
		t.Fatal(err)
	}
	if n := reltuples(); n != -1 {
		t.Fatalf("analyzed before the rows were due: reltuples %v", n)
	}
	sqlstore.AnalyzeAfter(s, 1)
	if _, err := s.UpsertOrders(ctx, order("2")); err != nil {
		t.Fatal(err)
	}
	if n := reltuples(); n != 2 {
		t.Fatalf("reltuples %v after the rows were due, want 2", n)
	}
}

// TestPlanStatsStored: a store opened on tables that already hold rows analyzes once it has
// written as many again, not after its first rows: an import that rewrites a large store
// leaves statistics that are still true alone.
func TestPlanStatsStored(t *testing.T) {
	defer sqlstore.AnalyzeFirst(1)()
	first, url := storetest.MustOpenPostgresURL(t)
	ctx := context.Background()
	if err := first.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
		t.Fatal(err)
	}
	orders := func(from, n int) []*shopcrm.Order {
		var out []*shopcrm.Order
		for i := from; i < from+n; i++ {
			number := fmt.Sprintf("111-%d", i)
			out = append(out, &shopcrm.Order{SID: 1, Number: number, BuyerEmail: number + "@x.com", Status: "Shipped",
				PurchaseTime: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 100}}})
		}
		return out
	}
	analyzed := func(s *sqlstore.Store) float64 {
		var n float64
		if err := s.DB().QueryRowContext(ctx, `SELECT reltuples FROM pg_class WHERE oid = 'orders'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if _, err := first.UpsertOrders(ctx, orders(0, 10)); err != nil {
		t.Fatal(err)
	}
	if n := analyzed(first); n != 10 {
		t.Fatalf("the first store's orders analyzed as %v, want 10", n)
	}
	s, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// The tables hold 10 orders, 10 lines, 10 customers, 20 figures rows and 10 change-log
	// entries: about 60 rows. One more order writes about 6.
	if _, err := s.UpsertOrders(ctx, orders(10, 1)); err != nil {
		t.Fatal(err)
	}
	if n := analyzed(s); n != 10 {
		t.Fatalf("analyzed after one order into a store of ten: reltuples %v", n)
	}
	if _, err := s.UpsertOrders(ctx, orders(11, 20)); err != nil {
		t.Fatal(err)
	}
	if n := analyzed(s); n != 31 {
		t.Fatalf("reltuples %v once as many rows were written again, want 31", n)
	}
}
