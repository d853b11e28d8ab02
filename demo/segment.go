package demo

import (
	"context"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// segmentRules pick members from the figures the ingest maintained.
var segmentRules = []struct{ title, where string }{
	{"VIP", "orders >= 8"},
	{"Repeat buyers", "orders BETWEEN 3 AND 7"},
	{"Refund watch", "refund_orders >= 2"},
	{"Unhappy", "feedback_bad >= 1"},
}

// segments creates the demo segments (once) and fills them; coupons come with them.
func (g *gen) segments(ctx context.Context, s *sqlstore.Store, sum *Summary) error {
	existing, _, err := s.FindSegments(ctx, 0, 1000)
	if err != nil {
		return err
	}
	byTitle := map[string]int64{}
	for _, sg := range existing {
		byTitle[sg.Title] = sg.ID
	}
	for _, rule := range segmentRules {
		id, ok := byTitle[rule.title]
		if !ok {
			sg := &shopcrm.Segment{Title: rule.title}
			if err := s.CreateSegment(ctx, sg); err != nil {
				return err
			}
			id = sg.ID
		}
		rows, err := s.DB().QueryContext(ctx, `SELECT customer_id FROM customer_figures WHERE sid = 0 AND `+rule.where+` ORDER BY customer_id`)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var cid int64
			if err := rows.Scan(&cid); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, cid)
		}
		rows.Close()
		for len(ids) > 0 {
			n := min(len(ids), 5000)
			if err := s.AddSegmentCustomers(ctx, id, ids[:n]); err != nil {
				return err
			}
			ids = ids[n:]
		}
		sum.Segments++
	}
	for _, code := range []string{"WELCOME10", "VIP20"} {
		err := s.CreateCoupon(ctx, &shopcrm.Coupon{Code: code, Title: code + " for own-shop customers"})
		if err != nil && shopcrm.ErrorCode(err) != shopcrm.ECONFLICT {
			return err
		}
	}
	return nil
}
