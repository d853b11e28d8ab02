package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func TestCoupons(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		a := mustCustomer(t, s, &shopcrm.Customer{FullName: "a"})
		k := &shopcrm.Coupon{Code: "WELCOME", Title: "Welcome"}
		t.Run("OK", func(t *testing.T) {
			if err := s.CreateCoupon(ctx, k); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindCouponByID(ctx, k.ID)
			if err != nil || got.Code != "WELCOME" || got.Title != "Welcome" || got.GrantsCount != 0 {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
		t.Run("ErrCodeTaken", func(t *testing.T) {
			err := s.CreateCoupon(ctx, &shopcrm.Coupon{Code: "WELCOME"})
			wantCode(t, err, shopcrm.ECONFLICT)
			wantFields(t, err, "code")
		})
		t.Run("ErrCodeRequired", func(t *testing.T) {
			wantFields(t, s.CreateCoupon(ctx, &shopcrm.Coupon{}), "code")
		})
		t.Run("Grant", func(t *testing.T) {
			for i := 0; i < 2; i++ { // the second grant is a no-op
				if err := s.GrantCoupon(ctx, k.ID, []int64{a.ID}); err != nil {
					t.Fatal(err)
				}
			}
			if got, _ := s.FindCouponByID(ctx, k.ID); got.GrantsCount != 1 {
				t.Fatalf("grants %d", got.GrantsCount)
			}
		})
		t.Run("OrderCodeCounts", func(t *testing.T) {
			mustOrder(t, s, "K-1", "user@example.com", 100, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), "WELCOME")
			if got, _ := s.FindCouponByID(ctx, k.ID); got.GrantsCount != 2 {
				t.Fatalf("grants %d", got.GrantsCount)
			}
		})
		t.Run("ErrUnknownCustomer", func(t *testing.T) {
			err := s.GrantCoupon(ctx, k.ID, []int64{9999})
			wantCode(t, err, shopcrm.EINVALID)
			wantFields(t, err, "customer_id")
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.FindCouponByID(ctx, 9999)
			wantCode(t, err, shopcrm.ENOTFOUND)
			wantCode(t, s.GrantCoupon(ctx, 9999, []int64{a.ID}), shopcrm.ENOTFOUND)
		})
		t.Run("List", func(t *testing.T) {
			s.CreateCoupon(ctx, &shopcrm.Coupon{Code: "SECOND"})
			page, total, err := s.FindCoupons(ctx, 1, 1)
			if err != nil || total != 2 || len(page) != 1 || page[0].Code != "SECOND" {
				t.Fatalf("page %v, %d, %v", page, total, err)
			}
		})
	})
}
