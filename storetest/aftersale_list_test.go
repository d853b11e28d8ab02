package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func TestFindAfterSaleOrders(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		fixture(t, s) // U1 (shop 1): refund 03-10, return 03-12; K1 (shop 2): exchange 04-20
		ctx := context.Background()
		day := func(d string) time.Time { v, _ := time.Parse(time.DateOnly, d); return v }
		find := func(f shopcrm.AfterSaleFilter) ([]*shopcrm.AfterSaleOrder, int) {
			t.Helper()
			f.Limit = 100
			recs, n, err := s.FindAfterSaleOrders(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return recs, n
		}
		t.Run("OK", func(t *testing.T) {
			recs, n := find(shopcrm.AfterSaleFilter{Start: day("2024-03-01"), End: day("2024-05-01"), DateType: 1})
			if n != 2 || recs[0].Order.Number != "K1" || recs[1].Order.Number != "U1" || len(recs[1].Items) != 2 ||
				recs[1].Items[0].Type != shopcrm.AfterSaleRefund || recs[1].Items[0].RefundAmount() != -1000 || recs[1].OrderTotal != 2000 {
				t.Fatalf("n %d recs %+v", n, recs)
			}
		})
		t.Run("TypeAndShop", func(t *testing.T) {
			recs, n := find(shopcrm.AfterSaleFilter{Start: day("2024-03-01"), End: day("2024-05-01"), DateType: 1,
				Types: []int{shopcrm.AfterSaleReturn}, SIDs: []int64{1}})
			if n != 1 || len(recs[0].Items) != 1 || recs[0].Items[0].LPN != "LPN1" {
				t.Fatalf("n %d recs %+v", n, recs)
			}
		})
		t.Run("ByPurchase", func(t *testing.T) {
			_, n := find(shopcrm.AfterSaleFilter{Start: day("2024-04-01"), End: day("2024-05-01"), DateType: 2})
			if n != 1 {
				t.Fatalf("n %d, want K1 only", n)
			}
		})
		t.Run("OrderNumbers", func(t *testing.T) {
			recs, n := find(shopcrm.AfterSaleFilter{Start: day("2024-01-01"), End: day("2025-01-01"), DateType: 1, OrderNumbers: []string{"U1"}})
			if n != 1 || recs[0].Order.Number != "U1" {
				t.Fatalf("n %d", n)
			}
		})
		t.Run("Empty", func(t *testing.T) {
			recs, n := find(shopcrm.AfterSaleFilter{Start: day("2020-01-01"), End: day("2020-02-01"), DateType: 1})
			if n != 0 || len(recs) != 0 {
				t.Fatalf("n %d", n)
			}
		})
	})
}
