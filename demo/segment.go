package demo

import (
	"context"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// segmentRules pick members from the figures the ingest maintained (all shops).
var segmentRules = []struct {
	title string
	match func(f memberFigures) bool
}{
	{"VIP", func(f memberFigures) bool { return f.orders >= 8 }},
	{"Repeat buyers", func(f memberFigures) bool { return f.orders >= 3 && f.orders <= 7 }},
	{"Refund watch", func(f memberFigures) bool { return f.refunds >= 2 }},
	{"Unhappy", func(f memberFigures) bool { return f.bad >= 1 }},
}

type memberFigures struct{ orders, refunds, bad int64 }

// segments creates the demo segments (once) and fills them; coupons come with them. The
// figures are read in one pass for all rules: at a million buyers each pass over
// customer_figures takes seconds.
func (g *gen) segments(ctx context.Context, s *sqlstore.Store, sum *Summary) error {
	existing, _, err := s.FindSegments(ctx, 0, 1000)
	if err != nil {
		return err
	}
	byTitle := map[string]int64{}
	for _, sg := range existing {
		byTitle[sg.Title] = sg.ID
	}
	members := make([][]int64, len(segmentRules))
	rows, err := s.DB().QueryContext(ctx, `SELECT customer_id, orders, refund_orders, feedback_bad FROM customer_figures
		WHERE sid = 0 ORDER BY customer_id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var cid int64
		var f memberFigures
		if err := rows.Scan(&cid, &f.orders, &f.refunds, &f.bad); err != nil {
			rows.Close()
			return err
		}
		for k, rule := range segmentRules {
			if rule.match(f) {
				members[k] = append(members[k], cid)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for k, rule := range segmentRules {
		id, ok := byTitle[rule.title]
		if !ok {
			sg := &shopcrm.Segment{Title: rule.title}
			if err := s.CreateSegment(ctx, sg); err != nil {
				return err
			}
			id = sg.ID
		}
		for ids := members[k]; len(ids) > 0; {
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
