package bench

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/shopcrm/shopcrm/lingxing/client"
)

// sortColumns maps the list's sort fields to customer_figures columns, for the floor.
var sortColumns = map[string]string{
	"order_items": "orders", "volume": "units", "amount": "amount_cny", "per_customer_transaction": "per_customer_cny",
	"refund_number": "refund_orders", "refund_sales_number": "refund_units", "refund_rate": "refund_rate",
	"return_number": "return_orders", "return_sales_number": "return_units", "return_rate": "return_rate",
	"feedback_number": "feedback_count", "feedback_bad_number": "feedback_bad", "feedback_rate": "feedback_rate",
	"feedback_bad_rate": "feedback_bad_rate", "first_purchase_date": "first_purchase", "last_purchase_date": "last_purchase",
}

var sortOrder = []string{"last_purchase_date", "first_purchase_date", "order_items", "volume", "amount", "per_customer_transaction",
	"refund_number", "refund_sales_number", "refund_rate", "return_number", "return_sales_number", "return_rate",
	"feedback_number", "feedback_bad_number", "feedback_rate", "feedback_bad_rate"}

// customerFilter is one filter of the customer list with its SQL counterpart for the floor.
type customerFilter struct {
	name  string
	body  map[string]any
	where string // over customer_figures f, sid = 0 unless the filter is per shop
	shop  bool   // per shop: over the customer_figures_expanded view, which shows buyers of one shop too
	args  []any
	multi []int64 // several shops: the floor aggregates their rows
}

// customerShapes builds the customer-list shapes. full crosses every sort field and direction
// with every filter and offset; otherwise the default sort covers every filter and every sort
// field runs unfiltered.
func customerShapes(c *client.Client, db *sql.DB, d *Dataset, pg, full bool) []Shape {
	filters := []customerFilter{
		{name: "all shops", where: "f.sid = 0"},
		{name: "one sid", body: map[string]any{"sids": fmt.Sprint(d.SIDs[0])}, where: "f.sid = $1", shop: true, args: []any{d.SIDs[0]}},
		{name: "three sids", body: map[string]any{"sids": fmt.Sprintf("%d,%d,%d", d.SIDs[0], d.SIDs[1], d.SIDs[2])}, multi: d.SIDs[:3]},
		{name: "date range", body: map[string]any{"date_field": "last_purchase_date", "start_date": d.DayFrom, "end_date": d.DayTo},
			where: "f.sid = 0 AND f.last_purchase >= $1 AND f.last_purchase < $2", args: []any{d.DayFrom, d.DayTo + " 24"}},
		{name: "search e-mail", body: map[string]any{"search_field": "buyer_email", "search_value": d.EmailPart},
			where: "f.sid = 0 AND f.email_key LIKE $1", args: []any{"%" + d.EmailPart + "%"}},
		{name: "search name", body: map[string]any{"search_field": "buyer_name", "search_value": d.NamePart},
			where: "f.sid = 0 AND f.name_key LIKE $1", args: []any{"%" + d.NamePart + "%"}},
	}
	var shapes []Shape
	add := func(f customerFilter, field, dir string, offset int, naive bool) {
		body := map[string]any{"sort_field": field, "sort_type": dir, "offset": offset, "length": 20}
		for k, v := range f.body {
			body[k] = v
		}
		s := Shape{Group: "customer list", Name: fmt.Sprintf("%s %s, %s, offset %d", field, dir, f.name, offset),
			Call: func(ctx context.Context) error {
				_, err := c.Do(ctx, "POST", "/basicOpen/customerService/crm/customer/index", body, nil)
				return err
			},
			Floor:      customerFloor(db, f, sortColumns[field], dir, offset),
			Concurrent: field == "last_purchase_date" && dir == "desc" && offset == 0,
		}
		if naive {
			s.Naive = naiveCustomerPage(db, offset)
		}
		shapes = append(shapes, s)
	}
	for _, f := range filters {
		for _, field := range sortOrder {
			for _, dir := range []string{"desc", "asc"} {
				for _, off := range []int{0, 10000} {
					if full || (f.name == "all shops") || (field == "last_purchase_date" && dir == "desc") {
						add(f, field, dir, off, f.name == "all shops" && field == "order_items" && dir == "desc")
					}
				}
			}
		}
	}
	return shapes
}

// customerFloor is the page and its count straight from the maintained figures.
func customerFloor(db *sql.DB, f customerFilter, col, dir string, offset int) func(ctx context.Context) error {
	if f.multi != nil {
		in := ""
		var args []any
		for i, sid := range f.multi {
			if i > 0 {
				in += ","
			}
			args = append(args, sid)
			in += fmt.Sprintf("$%d", i+1)
		}
		agg := "sum(" + col + ")"
		if col == "first_purchase" {
			agg = "min(first_purchase)"
		} else if col == "last_purchase" {
			agg = "max(last_purchase)"
		}
		return queryFloor(db,
			stmt{query: `SELECT customer_id, min(email_key) e, sum(orders), sum(units), sum(amount_cny), ` + agg + ` k FROM customer_figures_expanded
				WHERE sid IN (` + in + `) GROUP BY customer_id ORDER BY k ` + dir + `, e LIMIT 20 OFFSET ` + fmt.Sprint(offset), args: args},
			stmt{query: `SELECT count(DISTINCT customer_id) FROM customer_figures_expanded WHERE sid IN (` + in + `)`, args: args, mustReturn: true})
	}
	table := "customer_figures"
	if f.shop {
		table = "customer_figures_expanded"
	}
	return queryFloor(db,
		stmt{query: `SELECT f.* FROM ` + table + ` f WHERE ` + f.where + ` ORDER BY f.` + col + ` ` + dir + `, f.email_key LIMIT 20 OFFSET ` + fmt.Sprint(offset), args: f.args},
		stmt{query: `SELECT count(*) FROM ` + table + ` f WHERE ` + f.where, args: f.args, mustReturn: true})
}

// naiveCustomerPage aggregates the orders at request time, what maintained figures avoid.
func naiveCustomerPage(db *sql.DB, offset int) func(ctx context.Context) error {
	return queryFloor(db, stmt{query: `SELECT o.customer_id, count(DISTINCT o.id) n, sum(i.quantity), sum(i.price), min(o.purchase_time), max(o.purchase_time)
		FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.customer_id IS NOT NULL AND o.status <> 'Cancelled'
		GROUP BY o.customer_id ORDER BY n DESC, o.customer_id LIMIT 20 OFFSET ` + fmt.Sprint(offset)},
		stmt{query: `SELECT count(DISTINCT customer_id) FROM orders WHERE customer_id IS NOT NULL`, mustReturn: true})
}
