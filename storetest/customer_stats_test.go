package storetest_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// mustOrder imports one shipped order of one line in shop 1 (created on first use).
func mustOrder(t *testing.T, s *sqlstore.Store, number, email string, cents int64, at time.Time, coupon string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.FindShopByID(ctx, 1); err != nil {
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: 1, Number: number, BuyerEmail: email, PurchaseTime: at,
		Status: "Shipped", SalesChannel: "Amazon.com", Currency: "USD", CouponCode: coupon,
		Items: []shopcrm.OrderItem{{SKU: "SKU1", Quantity: 1, Price: shopcrm.Amount(cents)}}}})
	if err != nil {
		t.Fatal(err)
	}
}

func customerIDByEmail(t *testing.T, s *sqlstore.Store, email string) int64 {
	t.Helper()
	var id int64
	if err := s.DB().QueryRow(`SELECT id FROM customers WHERE email_key = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestCustomerStatistics(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		t1 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
		t2 := t1.Add(48 * time.Hour)
		mustOrder(t, s, "111-1", "buyer@example.com", 1999, t1, "")
		mustOrder(t, s, "111-2", "buyer@example.com", 1001, t2, "")
		id := customerIDByEmail(t, s, "buyer@example.com")
		t.Run("OK", func(t *testing.T) {
			c, err := s.FindCustomerByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			st := c.Statistics
			if st.Orders != 2 || st.PaidOrders != 2 || st.TotalSpent != 3000 || st.Currency != "USD" ||
				st.LastOrderID == nil || st.LastOrderPaidAt == nil || !st.LastOrderPaidAt.Equal(t2) {
				t.Fatalf("statistics %+v", st)
			}
			var last int64
			s.DB().QueryRow(`SELECT id FROM orders WHERE number = '111-2'`).Scan(&last)
			if *st.LastOrderID != last {
				t.Fatalf("last_order_id %d, want %d", *st.LastOrderID, last)
			}
		})
		t.Run("NoOrders", func(t *testing.T) {
			c := mustCustomer(t, s, &shopcrm.Customer{FullName: "new"})
			got, _ := s.FindCustomerByID(ctx, c.ID)
			if got.Statistics != (shopcrm.CustomerStatistics{}) {
				t.Fatalf("statistics %+v", got.Statistics)
			}
		})
		t.Run("RenameKeepsFigureKeys", func(t *testing.T) {
			if _, err := s.UpdateCustomer(ctx, id, shopcrm.CustomerUpdate{FullName: ptr("Zed Buyer")}); err != nil {
				t.Fatal(err)
			}
			var name string
			s.DB().QueryRow(`SELECT name_key FROM customer_figures WHERE customer_id = $1 AND sid = 0`, id).Scan(&name)
			if name != "zed buyer" {
				t.Fatalf("name_key %q", name)
			}
		})
	})
}

func TestCustomerDelete(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustOrder(t, s, "222-1", "gone@example.com", 500, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "")
		id := customerIDByEmail(t, s, "gone@example.com")
		seg := &shopcrm.Segment{Title: "s"}
		if err := s.CreateSegment(ctx, seg); err != nil {
			t.Fatal(err)
		}
		if err := s.AddSegmentCustomers(ctx, seg.ID, []int64{id}); err != nil {
			t.Fatal(err)
		}
		referred := mustCustomer(t, s, &shopcrm.Customer{FullName: "referred", ReferrerID: &id})
		t.Run("OK", func(t *testing.T) {
			if err := s.DeleteCustomer(ctx, id); err != nil {
				t.Fatal(err)
			}
			_, err := s.FindCustomerByID(ctx, id)
			wantCode(t, err, shopcrm.ENOTFOUND)
		})
		t.Run("OrderKeptUnlinked", func(t *testing.T) {
			var cid sql.NullInt64
			if err := s.DB().QueryRow(`SELECT customer_id FROM orders WHERE number = '222-1'`).Scan(&cid); err != nil {
				t.Fatal(err)
			}
			if cid.Valid {
				t.Fatalf("order still linked to %d", cid.Int64)
			}
		})
		t.Run("FiguresAndMembershipsGone", func(t *testing.T) {
			var n int
			s.DB().QueryRow(`SELECT count(*) FROM customer_figures_expanded WHERE customer_id = $1`, id).Scan(&n)
			if n != 0 {
				t.Fatalf("%d figures rows left", n)
			}
			if got, _ := s.FindSegmentByID(ctx, seg.ID); got.CustomersCount != 0 {
				t.Fatalf("segment still counts %d", got.CustomersCount)
			}
		})
		t.Run("ReferralsCleared", func(t *testing.T) {
			if got, _ := s.FindCustomerByID(ctx, referred.ID); got.ReferrerID != nil {
				t.Fatalf("referrer still %d", *got.ReferrerID)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			wantCode(t, s.DeleteCustomer(ctx, id), shopcrm.ENOTFOUND)
		})
	})
}
