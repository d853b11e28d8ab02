package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func TestFindCustomers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clk := useClock(s)
		var c [4]*shopcrm.Customer
		for i, in := range []*shopcrm.Customer{
			{FullName: "Ann Lee", Email: "Ann@Example.com", Mobile: "13800000001"},
			{FullName: "Bob", Email: "bob@shop.cn", Mobile: "13900000002"},
			{FullName: "carol_x", Email: "carol@example.com"},
			{FullName: "Dan 100%", Mobile: "555"},
		} {
			c[i] = mustCustomer(t, s, in)
			clk.advance(time.Minute)
		}
		id := func(i int) int64 { return c[i].ID }
		t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
		mustOrder(t, s, "A-1", "ann@example.com", 5000, t0, "")
		mustOrder(t, s, "B-1", "bob@shop.cn", 100, t0.Add(time.Hour), "SAVE10")
		mustOrder(t, s, "B-2", "bob@shop.cn", 100, t0.Add(2*time.Hour), "")
		seg := &shopcrm.Segment{Title: "vip"}
		coupon := &shopcrm.Coupon{Code: "SAVE10"}
		if err := s.CreateSegment(ctx, seg); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCoupon(ctx, coupon); err != nil {
			t.Fatal(err)
		}
		if err := s.AddSegmentCustomers(ctx, seg.ID, []int64{id(0), id(2)}); err != nil {
			t.Fatal(err)
		}
		if err := s.GrantCoupon(ctx, coupon.ID, []int64{id(3)}); err != nil {
			t.Fatal(err)
		}
		clk.advance(time.Minute)
		if _, err := s.UpdateCustomer(ctx, id(1), shopcrm.CustomerUpdate{Note: ptr("touched")}); err != nil {
			t.Fatal(err)
		}

		for _, tt := range []struct {
			name   string
			filter shopcrm.CustomerFilter
			want   []int // indexes into c, in order
			total  int
		}{
			{"All", shopcrm.CustomerFilter{}, []int{0, 1, 2, 3}, 4},
			{"ID", shopcrm.CustomerFilter{ID: ptr(id(1))}, []int{1}, 1},
			{"IDs", shopcrm.CustomerFilter{IDs: []int64{id(2), id(0), 99999}}, []int{0, 2}, 2},
			{"CouponGrantOrOrderCode", shopcrm.CustomerFilter{Coupon: &coupon.ID}, []int{1, 3}, 2},
			{"CouponExclude", shopcrm.CustomerFilter{CouponExclude: &coupon.ID}, []int{0, 2}, 2},
			{"Segment", shopcrm.CustomerFilter{Segment: &seg.ID}, []int{0, 2}, 2},
			{"SegmentExclude", shopcrm.CustomerFilter{SegmentExclude: &seg.ID}, []int{1, 3}, 2},
			{"UnknownSegment", shopcrm.CustomerFilter{Segment: ptr(int64(99999))}, []int{}, 0},
			{"SearchNameCaseInsensitive", shopcrm.CustomerFilter{Search: "aNN"}, []int{0}, 1},
			{"SearchEmail", shopcrm.CustomerFilter{Search: "SHOP.CN"}, []int{1}, 1},
			{"SearchMobile", shopcrm.CustomerFilter{Search: "1390"}, []int{1}, 1},
			{"SearchUnderscoreLiteral", shopcrm.CustomerFilter{Search: "_"}, []int{2}, 1},
			{"SearchPercentLiteral", shopcrm.CustomerFilter{Search: "0%"}, []int{3}, 1},
			{"SearchAny", shopcrm.CustomerFilter{Search: "example"}, []int{0, 2}, 2},
			{"Combined", shopcrm.CustomerFilter{Segment: &seg.ID, Search: "carol"}, []int{2}, 1},
			{"OrderCreatedDesc", shopcrm.CustomerFilter{OrderBy: "-created_at"}, []int{3, 2, 1, 0}, 4},
			{"OrderUpdatedDesc", shopcrm.CustomerFilter{OrderBy: "-updated_at"}, []int{1, 3, 2, 0}, 4},
			{"OrderIDDesc", shopcrm.CustomerFilter{OrderBy: "-id"}, []int{3, 2, 1, 0}, 4},
			{"OrderOrdersTiesByID", shopcrm.CustomerFilter{OrderBy: "orders"}, []int{2, 3, 0, 1}, 4},
			{"OrderTotalSpentDesc", shopcrm.CustomerFilter{OrderBy: "-total_spent"}, []int{0, 1, 2, 3}, 4},
			{"OrderLastPaid", shopcrm.CustomerFilter{OrderBy: "last_order_paid_at"}, []int{2, 3, 0, 1}, 4},
			{"PageFirst", shopcrm.CustomerFilter{Limit: 3}, []int{0, 1, 2}, 4},
			{"PageLast", shopcrm.CustomerFilter{Offset: 3, Limit: 3}, []int{3}, 4},
			{"PageBeyond", shopcrm.CustomerFilter{Offset: 8, Limit: 3}, []int{}, 4},
			{"OffsetWithoutLimit", shopcrm.CustomerFilter{Offset: 2}, []int{2, 3}, 4},
			{"PageFiltered", shopcrm.CustomerFilter{Search: "example", Offset: 1, Limit: 1}, []int{2}, 2},
			{"WithoutTotal", shopcrm.CustomerFilter{Limit: 2, WithoutTotal: true}, []int{0, 1}, 2},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.FindCustomers(ctx, tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				want := make([]int64, len(tt.want))
				for i, k := range tt.want {
					want[i] = id(k)
				}
				ids := make([]int64, len(got))
				for i, g := range got {
					ids[i] = g.ID
				}
				if diff := cmp.Diff(want, ids); diff != "" || total != tt.total {
					t.Fatalf("ids (-want +got):\n%s\ntotal %d, want %d", diff, total, tt.total)
				}
			})
		}
		t.Run("Expanded", func(t *testing.T) {
			got, _, err := s.FindCustomers(ctx, shopcrm.CustomerFilter{IDs: []int64{id(0), id(1)}})
			if err != nil {
				t.Fatal(err)
			}
			want := []shopcrm.SegmentRef{{ID: seg.ID, Title: "vip"}}
			if diff := cmp.Diff(want, got[0].Segments); diff != "" {
				t.Fatalf("segments (-want +got):\n%s", diff)
			}
			if len(got[1].Segments) != 0 || got[1].Segments == nil || got[1].Statistics.Orders != 2 || got[0].Statistics.TotalSpent != 5000 {
				t.Fatalf("second: %+v", got[1])
			}
		})
		t.Run("ErrOrdering", func(t *testing.T) {
			_, _, err := s.FindCustomers(ctx, shopcrm.CustomerFilter{OrderBy: "email"})
			wantCode(t, err, shopcrm.EINVALID)
			wantFields(t, err, "ordering")
		})
	})
}
