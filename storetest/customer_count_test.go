package storetest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestCustomerTotalsFollowChanges pages a segment while its members change: the totals are
// kept between pages, and every commit must show in the next one.
func TestCustomerTotalsFollowChanges(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		seg := &shopcrm.Segment{Title: "VIP"}
		if err := s.CreateSegment(ctx, seg); err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i := range 5 {
			c := &shopcrm.Customer{Email: fmt.Sprintf("c%d@example.com", i)}
			if err := s.CreateCustomer(ctx, c); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		total := func(want int, f shopcrm.CustomerFilter) {
			t.Helper()
			for page := range 2 { // the second page is answered from the kept total
				f.Offset, f.Limit = page*2, 2
				_, n, err := s.FindCustomers(ctx, f)
				if err != nil || n != want {
					t.Fatalf("page %d of %+v: total %d, %v; want %d", page, f, n, err, want)
				}
			}
		}
		inSeg := shopcrm.CustomerFilter{Segment: &seg.ID}
		notInSeg := shopcrm.CustomerFilter{SegmentExclude: &seg.ID}
		total(0, inSeg)
		total(5, notInSeg)
		if err := s.AddSegmentCustomers(ctx, seg.ID, ids[:3]); err != nil {
			t.Fatal(err)
		}
		total(3, inSeg)
		total(2, notInSeg)
		if err := s.RemoveSegmentCustomers(ctx, seg.ID, ids[:1]); err != nil {
			t.Fatal(err)
		}
		total(2, inSeg)
		if err := s.DeleteCustomer(ctx, ids[1]); err != nil {
			t.Fatal(err)
		}
		total(1, inSeg)
		total(3, notInSeg)
		total(4, shopcrm.CustomerFilter{})
	})
}
