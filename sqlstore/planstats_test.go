package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
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
