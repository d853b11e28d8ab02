package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func TestSegments(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		clk := useClock(s)
		a := mustCustomer(t, s, &shopcrm.Customer{FullName: "a"})
		b := mustCustomer(t, s, &shopcrm.Customer{FullName: "b"})
		seg := &shopcrm.Segment{Title: "标签1"}
		t.Run("OK", func(t *testing.T) {
			if err := s.CreateSegment(ctx, seg); err != nil {
				t.Fatal(err)
			}
			got, err := s.FindSegmentByID(ctx, seg.ID)
			if err != nil || got.Title != "标签1" || got.CustomersCount != 0 || !got.CreatedAt.Equal(clk.t) {
				t.Fatalf("got %+v, %v", got, err)
			}
		})
		t.Run("ErrTitleRequired", func(t *testing.T) {
			err := s.CreateSegment(ctx, &shopcrm.Segment{})
			wantCode(t, err, shopcrm.EINVALID)
			wantFields(t, err, "title")
		})
		t.Run("AddMembers", func(t *testing.T) {
			clk.advance(time.Minute)
			if err := s.AddSegmentCustomers(ctx, seg.ID, []int64{b.ID, a.ID, b.ID}); err != nil {
				t.Fatal(err)
			}
			got, _ := s.FindSegmentByID(ctx, seg.ID)
			if got.CustomersCount != 2 || !got.UpdatedAt.Equal(clk.t) {
				t.Fatalf("after add: %+v", got)
			}
			cs, err := s.FindSegmentCustomers(ctx, seg.ID, 0)
			if err != nil || len(cs) != 2 || cs[0].ID != a.ID || cs[1].ID != b.ID {
				t.Fatalf("members %v, %v", cs, err)
			}
			if cs, _ := s.FindSegmentCustomers(ctx, seg.ID, 1); len(cs) != 1 || cs[0].ID != a.ID {
				t.Fatalf("capped members %v", cs)
			}
			if c, _ := s.FindCustomerByID(ctx, a.ID); len(c.Segments) != 1 || c.Segments[0].Title != "标签1" {
				t.Fatalf("customer segments %v", c.Segments)
			}
		})
		t.Run("AddTwiceIsNoOp", func(t *testing.T) {
			before, _ := s.FindSegmentByID(ctx, seg.ID)
			clk.advance(time.Minute)
			if err := s.AddSegmentCustomers(ctx, seg.ID, []int64{a.ID}); err != nil {
				t.Fatal(err)
			}
			got, _ := s.FindSegmentByID(ctx, seg.ID)
			if got.CustomersCount != 2 || !got.UpdatedAt.Equal(before.UpdatedAt) {
				t.Fatalf("no-op changed %+v", got)
			}
		})
		t.Run("ErrUnknownCustomer", func(t *testing.T) {
			other := &shopcrm.Segment{Title: "other"}
			s.CreateSegment(ctx, other)
			err := s.AddSegmentCustomers(ctx, other.ID, []int64{a.ID, 9998, 9999})
			wantCode(t, err, shopcrm.EINVALID)
			wantFields(t, err, "customer_id", "customer_id")
			if msg := shopcrm.ErrorFields(err)[0].Message; msg != `Invalid pk "9998" - object does not exist.` {
				t.Fatalf("message %q", msg)
			}
			if got, _ := s.FindSegmentByID(ctx, other.ID); got.CustomersCount != 0 {
				t.Fatalf("partially added: %+v", got)
			}
		})
		t.Run("RemoveMembers", func(t *testing.T) {
			if err := s.RemoveSegmentCustomers(ctx, seg.ID, []int64{a.ID, 9999}); err != nil {
				t.Fatal(err)
			}
			if got, _ := s.FindSegmentByID(ctx, seg.ID); got.CustomersCount != 1 {
				t.Fatalf("after remove: %+v", got)
			}
		})
		t.Run("Update", func(t *testing.T) {
			clk.advance(time.Minute)
			got, err := s.UpdateSegment(ctx, seg.ID, "renamed")
			if err != nil || got.Title != "renamed" || got.CustomersCount != 1 || !got.UpdatedAt.Equal(clk.t) {
				t.Fatalf("got %+v, %v", got, err)
			}
			_, err = s.UpdateSegment(ctx, seg.ID, "")
			wantFields(t, err, "title")
		})
		t.Run("List", func(t *testing.T) {
			for i := 0; i < 3; i++ {
				s.CreateSegment(ctx, &shopcrm.Segment{Title: "more"})
			}
			page, total, err := s.FindSegments(ctx, 2, 2)
			if err != nil || total != 5 || len(page) != 2 || page[0].ID >= page[1].ID {
				t.Fatalf("page %v, %d, %v", page, total, err)
			}
			all, _, _ := s.FindSegments(ctx, 0, 0)
			if len(all) != 5 || all[0].ID != seg.ID || all[0].CustomersCount != 1 {
				t.Fatalf("all %v", all)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			_, err := s.FindSegmentByID(ctx, 9999)
			wantCode(t, err, shopcrm.ENOTFOUND)
			_, err = s.UpdateSegment(ctx, 9999, "x")
			wantCode(t, err, shopcrm.ENOTFOUND)
			wantCode(t, s.AddSegmentCustomers(ctx, 9999, []int64{a.ID}), shopcrm.ENOTFOUND)
			wantCode(t, s.RemoveSegmentCustomers(ctx, 9999, []int64{a.ID}), shopcrm.ENOTFOUND)
			wantCode(t, s.DeleteSegment(ctx, 9999), shopcrm.ENOTFOUND)
		})
		t.Run("Delete", func(t *testing.T) {
			if err := s.DeleteSegment(ctx, seg.ID); err != nil {
				t.Fatal(err)
			}
			if c, _ := s.FindCustomerByID(ctx, b.ID); len(c.Segments) != 0 {
				t.Fatalf("membership survived: %v", c.Segments)
			}
		})
	})
}
