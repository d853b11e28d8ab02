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
		seg, ids := segmentAndCustomers(t, s, 5)
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

// TestSegmentPages pages through one segment both ways: the page is cut from the segment's
// members before they are joined, and must match the same filter cut after.
func TestSegmentPages(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		seg, ids := segmentAndCustomers(t, s, 7)
		members := []int64{ids[1], ids[2], ids[4], ids[5], ids[6]}
		if err := s.AddSegmentCustomers(ctx, seg.ID, members); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name   string
			filter shopcrm.CustomerFilter
			pages  [][]int64
		}{
			{"segment", shopcrm.CustomerFilter{Segment: &seg.ID},
				[][]int64{{ids[1], ids[2]}, {ids[4], ids[5]}, {ids[6]}, {}}},
			{"segment, -id", shopcrm.CustomerFilter{Segment: &seg.ID, OrderBy: "-id"},
				[][]int64{{ids[6], ids[5]}, {ids[4], ids[2]}, {ids[1]}, {}}},
			// With another filter the page is cut after the join.
			{"segment and search", shopcrm.CustomerFilter{Segment: &seg.ID, Search: "member"},
				[][]int64{{ids[1], ids[2]}, {ids[4], ids[5]}, {ids[6]}, {}}},
		} {
			for page, want := range tc.pages {
				f := tc.filter
				f.Offset, f.Limit = page*2, 2
				got, total, err := s.FindCustomers(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				gotIDs := []int64{}
				for _, c := range got {
					gotIDs = append(gotIDs, c.ID)
					if len(c.Segments) != 1 || c.Segments[0].Title != "VIP" {
						t.Fatalf("%s: customer %d segments %+v", tc.name, c.ID, c.Segments)
					}
				}
				if fmt.Sprint(gotIDs) != fmt.Sprint(want) || total != 5 {
					t.Fatalf("%s, page %d: %v of %d, want %v of 5", tc.name, page, gotIDs, total, want)
				}
			}
		}
	})
}

// segmentAndCustomers creates the segment VIP and n customers named Member, not yet in it.
func segmentAndCustomers(t *testing.T, s *sqlstore.Store, n int) (*shopcrm.Segment, []int64) {
	t.Helper()
	ctx := context.Background()
	seg := &shopcrm.Segment{Title: "VIP"}
	if err := s.CreateSegment(ctx, seg); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		c := &shopcrm.Customer{Email: fmt.Sprintf("c%d@example.com", i), FullName: "Member"}
		if err := s.CreateCustomer(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	return seg, ids
}

// TestPageSegmentTitles reads a page's segments as ids and their titles apart, kept under
// the data version: a customer in two segments lists both in id order, and a renamed or
// deleted segment shows in the next page read.
func TestPageSegmentTitles(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		vip, ids := segmentAndCustomers(t, s, 2)
		late := &shopcrm.Segment{Title: "Late payers"}
		if err := s.CreateSegment(ctx, late); err != nil {
			t.Fatal(err)
		}
		for _, seg := range []int64{late.ID, vip.ID} {
			if err := s.AddSegmentCustomers(ctx, seg, ids[:1]); err != nil {
				t.Fatal(err)
			}
		}
		page := func(want string) {
			t.Helper()
			for _, f := range []shopcrm.CustomerFilter{{Segment: &vip.ID}, {ID: &ids[0]}} {
				cs, _, err := s.FindCustomers(ctx, f)
				if err != nil || len(cs) != 1 {
					t.Fatalf("%+v: %d customers, %v", f, len(cs), err)
				}
				if got := fmt.Sprint(cs[0].Segments); got != want {
					t.Fatalf("%+v: segments %s, want %s", f, got, want)
				}
			}
		}
		page(fmt.Sprintf("[{%d VIP} {%d Late payers}]", vip.ID, late.ID))
		if _, err := s.UpdateSegment(ctx, late.ID, "Paid late"); err != nil {
			t.Fatal(err)
		}
		page(fmt.Sprintf("[{%d VIP} {%d Paid late}]", vip.ID, late.ID))
		if err := s.DeleteSegment(ctx, late.ID); err != nil {
			t.Fatal(err)
		}
		page(fmt.Sprintf("[{%d VIP}]", vip.ID))
	})
}
