package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// BenchmarkUpsertOrders measures the write path with figures maintained: batches of 2 000
// new orders of 1–3 items from ~700 buyers, as an import writes them.
func BenchmarkUpsertOrders(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchUpsert(b, storetest.MustOpen(b)) })
	b.Run("postgres", func(b *testing.B) { benchUpsert(b, storetest.MustOpenPostgres(b)) })
}

func benchUpsert(b *testing.B, s *sqlstore.Store) {
	ctx := context.Background()
	if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
		b.Fatal(err)
	}
	const batch = 2000
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		orders := make([]*shopcrm.Order, batch)
		for j := range orders {
			n := i*batch + j
			o := &shopcrm.Order{SID: 1, Number: fmt.Sprintf("111-%07d", n), BuyerEmail: fmt.Sprintf("b%d@marketplace.amazon.com", n/3),
				PurchaseTime: base.Add(time.Duration(n) * time.Minute), Status: "Shipped", Currency: "USD"}
			for k := 0; k <= n%3; k++ {
				o.Items = append(o.Items, shopcrm.OrderItem{SKU: fmt.Sprintf("SKU%d", k), Quantity: 1, Price: 1999})
				rows++
			}
			orders[j] = o
		}
		if _, err := s.UpsertOrders(ctx, orders); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
