package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// customerColumns read a customer with its statistics in one row: the figures row over all
// shops (sid = 0; none when the customer has no orders) and the count of its referrals. The
// last column, added by customerSelect, is the customer's segments as a JSON array.
const customerColumns = `SELECT c.id, c.email, c.full_name, c.mobile, c.gender, c.birthday, c.note, c.accepts_marketing,
	c.tags, c.addresses, c.referral_code, c.referrer_id, c.level, c.points, c.total_points, c.metafields, c.profile,
	c.multipass_identifier, c.avatar, c.created_at, c.updated_at,
	coalesce(f.orders, 0), coalesce(f.amount, 0), coalesce(f.currency, ''), coalesce(f.last_order_id, 0),
	coalesce(f.last_purchase_at, 0), (SELECT count(*) FROM customers r WHERE r.referrer_id = c.id), `

const (
	figuresJoin  = ` LEFT JOIN customer_figures f ON f.customer_id = c.id AND f.sid = 0`
	customerFrom = ` FROM customers c` + figuresJoin
)

// The segments are aggregated in the customer's own row so that a read, single or a page,
// is one query. A single customer gets them as a JSON array, titles included; the JSON
// functions are the one place where the engines differ. A page gets the ids alone, read
// from the members key, and the titles in one query after it (segmentTitles): building a
// JSON object per customer and segment, and looking up each segment, cost a page of a
// segment a tenth of its time.
const (
	segmentsFrom = ` FROM segment_members m JOIN segments s ON s.id = m.segment_id WHERE m.customer_id = c.id)`

	customerSelectSQLite = customerColumns +
		`(SELECT json_group_array(json_object('id', s.id, 'title', s.title) ORDER BY s.id)` + segmentsFrom + customerFrom
	customerSelectPG = customerColumns +
		`(SELECT coalesce(json_agg(json_build_object('id', s.id, 'title', s.title) ORDER BY s.id)::text, '[]')` +
		segmentsFrom + customerFrom
	customerSelectBare = customerColumns + `'[]'` + customerFrom // without segments

	customerByIDSQLite = customerSelectSQLite + ` WHERE c.id = $1`
	customerByIDPG     = customerSelectPG + ` WHERE c.id = $1`

	segmentIDsFrom     = ` FROM segment_members m WHERE m.customer_id = c.id)`
	customerPageSQLite = customerColumns + `(SELECT coalesce(group_concat(m.segment_id), '')` + segmentIDsFrom + customerFrom
	customerPagePG     = customerColumns + `(SELECT coalesce(string_agg(m.segment_id::text, ','), '')` + segmentIDsFrom + customerFrom
)

// customerSelect returns the SELECT … FROM of customers c for a page, on the engine.
func (s *Store) customerSelect(expanded bool) string {
	switch {
	case !expanded:
		return customerSelectBare
	case s.pg:
		return customerPagePG
	}
	return customerPageSQLite
}

// memberFrom replaces customerFrom when a page of one segment is read in id order: the
// segment's members come in customer id order from the segment_members key, so the page is
// a range of that key joined to customers by id. Driven from customers instead, a small
// segment of a million customers meant probing the key once per customer up to the page.
// CROSS JOIN keeps SQLite's planner from reordering the join.
const (
	membersFrom = ` FROM segment_members sm CROSS JOIN customers c`
	memberFrom  = membersFrom + figuresJoin
)

// customerOrder maps the orderings the REST list accepts to SQL.
var customerOrder = map[string]string{
	"id": "c.id", "created_at": "c.created_at", "updated_at": "c.updated_at",
	"orders": "coalesce(f.orders, 0)", "total_spent": "coalesce(f.amount, 0)",
	"last_order_paid_at": "coalesce(f.last_purchase_at, 0)",
}

// FindCustomerByID returns a customer with its segments and statistics: one indexed query,
// prepared once.
func (s *Store) FindCustomerByID(ctx context.Context, id int64) (*shopcrm.Customer, error) {
	query := customerByIDSQLite
	if s.pg {
		query = customerByIDPG
	}
	st, err := cachedStmt(ctx, s.read, query)
	if err != nil {
		return nil, err
	}
	c, err := scanCustomer(st.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("customer", id)
	}
	return c, err
}

// FindCustomers returns a page of the customers the filter selects and, unless
// filter.WithoutTotal, how many it selects in all.
func (s *Store) FindCustomers(ctx context.Context, filter shopcrm.CustomerFilter) ([]*shopcrm.Customer, int, error) {
	return s.findCustomers(ctx, s.read, filter)
}

func (s *Store) findCustomers(ctx context.Context, q querier, f shopcrm.CustomerFilter) ([]*shopcrm.Customer, int, error) {
	order, desc := f.OrderBy, false
	if strings.HasPrefix(order, "-") {
		order, desc = order[1:], true
	}
	if order == "" {
		order = "id"
	}
	col, ok := customerOrder[order]
	if !ok {
		var fe shopcrm.FieldErrors
		fe.Add("ordering", "Select a valid choice. %s is not one of the available choices.", f.OrderBy)
		return nil, 0, fe.Err()
	}
	// One segment in id order: driven from the segment's members (memberFrom).
	bySegment := f.Segment != nil && order == "id"
	from, countFrom := customerFrom, ` FROM customers c`
	if bySegment {
		col = "sm.customer_id"
		from = memberFrom
		countFrom = membersFrom
	}
	where, args := customerWhere(f, bySegment)
	// A read from the pool is taken at the data version the count and the segment
	// titles are kept under.
	version := ""
	if q == s.read && (!f.WithoutTotal || !f.WithoutExpanded) {
		var err error
		if version, err = s.DataVersion(ctx); err != nil {
			return nil, 0, err
		}
	}
	total := 0
	if !f.WithoutTotal {
		count, countArgs := `SELECT count(*)`+countFrom+where, args
		if bySegment && onlySegment(f) {
			// Every member is a customer (the foreign keys cascade), so the key alone
			// counts them: 11 ms instead of 880 for a segment of 256 000.
			count, countArgs = `SELECT count(*) FROM segment_members WHERE segment_id = $1`, []any{*f.Segment}
		}
		var err error
		if q == s.read {
			total, err = s.counts.count(ctx, s, version, count, countArgs)
		} else {
			err = q.QueryRowContext(ctx, count, countArgs...).Scan(&total)
		}
		if err != nil {
			return nil, 0, err
		}
	}
	sel := s.customerSelect(!f.WithoutExpanded)
	dir := ""
	if desc {
		dir = ` DESC`
	}
	var query string
	if bySegment && onlySegment(f) {
		// The page is cut from the segment's key alone, then joined: with the join under
		// the OFFSET, page 50 looked up the customer and figures of the 980 members it skips.
		pageArgs := []any{*f.Segment}
		members := `SELECT customer_id FROM segment_members WHERE segment_id = $1 ORDER BY customer_id` + dir +
			s.limitClause(f.Offset, f.Limit, 2, &pageArgs)
		query = strings.TrimSuffix(sel, customerFrom) + ` FROM (` + members + `) sm CROSS JOIN customers c` + figuresJoin +
			` WHERE c.id = sm.customer_id ORDER BY sm.customer_id` + dir
		args = pageArgs
	} else {
		query = strings.TrimSuffix(sel, customerFrom) + from + where + ` ORDER BY ` + col + dir
		if col != "c.id" && col != "sm.customer_id" {
			query += `, c.id` // ties by id, so that pages never overlap
		}
		query += s.limitClause(f.Offset, f.Limit, len(args)+1, &args)
	}
	// Without an id list the text is one of a bounded set: parsing it costs SQLite more
	// than a page of a segment does.
	rows, err := s.queryOn(ctx, q, len(f.IDs) == 0, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*shopcrm.Customer{}
	for rows.Next() {
		c, err := scanCustomer(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := s.segmentTitles(ctx, q, version, out); err != nil {
		return nil, 0, err
	}
	if f.WithoutTotal {
		total = len(out)
	}
	return out, total, nil
}

// onlySegment reports whether the filter selects by segment and nothing else.
func onlySegment(f shopcrm.CustomerFilter) bool {
	return f.Segment != nil && f.ID == nil && len(f.IDs) == 0 && f.Coupon == nil && f.CouponExclude == nil &&
		f.SegmentExclude == nil && f.Search == ""
}

// customerWhere turns a filter into a WHERE clause over customers c and its arguments;
// bySegment joins c to the members sm of f.Segment (memberFrom) instead of testing them.
func customerWhere(f shopcrm.CustomerFilter, bySegment bool) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if bySegment {
		conds = append(conds, `sm.segment_id = `+arg(*f.Segment), `c.id = sm.customer_id`)
	}
	if f.ID != nil {
		conds = append(conds, `c.id = `+arg(*f.ID))
	}
	if len(f.IDs) > 0 {
		conds = append(conds, `c.id IN (`+placeholders(len(args)+1, len(f.IDs))+`)`)
		args = append(args, int64Args(f.IDs)...)
	}
	if f.Coupon != nil {
		conds = append(conds, `c.id IN (`+couponHolders(arg(*f.Coupon))+`)`)
	}
	if f.CouponExclude != nil {
		conds = append(conds, notCouponHolder(arg(*f.CouponExclude)))
	}
	if f.Segment != nil && !bySegment {
		conds = append(conds, `c.id IN (SELECT customer_id FROM segment_members WHERE segment_id = `+arg(*f.Segment)+`)`)
	}
	if f.SegmentExclude != nil {
		conds = append(conds, notSegmentMember(arg(*f.SegmentExclude)))
	}
	if f.Search != "" {
		// email_key is already lower case; lower() folds only ASCII on SQLite, so the
		// pattern is folded in Go the same way the stored keys were.
		p := arg("%" + likeEscaper.Replace(strings.ToLower(f.Search)) + "%")
		conds = append(conds, `(lower(c.full_name) LIKE `+p+` ESCAPE '\' OR c.email_key LIKE `+p+` ESCAPE '\' OR lower(c.mobile) LIKE `+p+` ESCAPE '\')`)
	}
	if len(conds) == 0 {
		return "", args
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// limitClause pages a query; limit <= 0 means no limit (SQLite needs LIMIT -1 to offset).
// The limit is written into the text: SQLite plans with a bound LIMIT's value, and so
// prepares a kept statement again whenever the parameter is bound, which for a page of a
// segment cost more than running it. Page sizes are few, so the texts stay few.
func (s *Store) limitClause(offset, limit, next int, args *[]any) string {
	switch {
	case limit > 0:
		*args = append(*args, max(offset, 0))
		return fmt.Sprintf(` LIMIT %d OFFSET $%d`, limit, next)
	case offset > 0 && s.pg:
		*args = append(*args, offset)
		return fmt.Sprintf(` OFFSET $%d`, next)
	case offset > 0:
		*args = append(*args, offset)
		return fmt.Sprintf(` LIMIT -1 OFFSET $%d`, next)
	}
	return ""
}
