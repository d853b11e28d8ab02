package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/shopcrm/shopcrm/lingxing/client"
)

// afterSaleShapes are the after-sale list shapes of the issue: a 30-day window over every
// shop with 1000 records, one shop, an after_type filter and a 50-order lookup.
func afterSaleShapes(c *client.Client, db *sql.DB, d *Dataset) []Shape {
	body := func(extra map[string]any) map[string]any {
		b := map[string]any{"start_date": d.DayFrom, "end_date": d.DayTo, "length": 1000}
		for k, v := range extra {
			b[k] = v
		}
		return b
	}
	call := func(b map[string]any) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			_, err := c.Do(ctx, "POST", "/erp/sc/routing/amzod/order/afterSaleList", b, nil)
			return err
		}
	}
	// The floor reads the matching items in the order the list shows them.
	window := `SELECT a.* FROM after_sales a WHERE a.after_time >= $1 AND a.after_time < $2 %s ORDER BY a.after_time DESC, a.id LIMIT 1000`
	lo, hi := dayUnix(d.DayFrom), dayUnix(d.DayTo)
	ids := make([]any, len(d.OrderNumbers))
	in := ""
	for i, n := range d.OrderNumbers {
		ids[i] = n
		if i > 0 {
			in += ","
		}
		in += fmt.Sprintf("$%d", i+1)
	}
	return []Shape{
		{Group: "after-sale list", Name: "30 days, all shops, length 1000", Call: call(body(nil)), Concurrent: true,
			Floor: queryFloor(db, stmt{query: fmt.Sprintf(window, ""), args: []any{lo, hi}})},
		{Group: "after-sale list", Name: "30 days, one shop", Call: call(body(map[string]any{"sid": fmt.Sprint(d.SIDs[0])})),
			Floor: queryFloor(db, stmt{query: fmt.Sprintf(window, "AND a.sid = $3"), args: []any{lo, hi, d.SIDs[0]}})},
		{Group: "after-sale list", Name: "30 days, refunds only", Call: call(body(map[string]any{"after_type": "1"})),
			Floor: queryFloor(db, stmt{query: fmt.Sprintf(window, "AND a.type = 1"), args: []any{lo, hi}})},
		{Group: "after-sale list", Name: "50 order ids, 3 years", Concurrent: true,
			Call:  call(map[string]any{"start_date": "2000-01-01", "end_date": "2100-01-01", "amazon_order_id_list": d.OrderNumbers}),
			Floor: queryFloor(db, stmt{query: `SELECT a.* FROM after_sales a WHERE a.order_number IN (` + in + `)`, args: ids})},
	}
}

// restShapes are the REST API shapes: one customer by id, and a segment-filtered page.
func restShapes(base, token string, db *sql.DB, d *Dataset) []Shape {
	var next atomic.Int64
	get := func(path func() string) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			req, _ := http.NewRequestWithContext(ctx, "GET", base+path(), nil)
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := httpClient.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if _, err := drain(resp); err != nil {
				return err
			}
			if resp.StatusCode != 200 {
				return fmt.Errorf("HTTP %d", resp.StatusCode)
			}
			return nil
		}
	}
	customer := func() string {
		return fmt.Sprintf("/api/crm/customer/%d/", d.CustomerIDs[next.Add(1)%int64(len(d.CustomerIDs))])
	}
	var id atomic.Int64
	return []Shape{
		{Group: "REST", Name: "GET customer by id", Call: get(customer), Concurrent: true,
			Floor: func(ctx context.Context) error {
				return queryFloor(db, stmt{query: `SELECT * FROM customers WHERE id = $1`, args: []any{d.CustomerIDs[id.Add(1)%int64(len(d.CustomerIDs))]}, mustReturn: true})(ctx)
			}},
		{Group: "REST", Name: fmt.Sprintf("customers of segment %d, page 50", d.SegmentID), Concurrent: true,
			Call: get(func() string { return fmt.Sprintf("/api/crm/customer/?segment=%d&page=50", d.SegmentID) }),
			Floor: queryFloor(db,
				stmt{query: `SELECT c.* FROM segment_members m CROSS JOIN customers c WHERE m.segment_id = $1 AND c.id = m.customer_id
					ORDER BY m.customer_id LIMIT 10 OFFSET 490`, args: []any{d.SegmentID}},
				stmt{query: `SELECT count(*) FROM segment_members WHERE segment_id = $1`, args: []any{d.SegmentID}, mustReturn: true})},
	}
}
