package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/shopcrm/shopcrm"
)

// couponSelect counts as grants the customers the coupon filter selects: granted the coupon
// or having used its code in an order.
const couponSelect = `SELECT k.id, k.code, k.title, k.created_at,
	(SELECT count(*) FROM (SELECT g.customer_id FROM coupon_grants g WHERE g.coupon_id = k.id
		UNION SELECT o.customer_id FROM orders o WHERE o.coupon_code = k.code AND o.coupon_code <> ''
		AND o.customer_id IS NOT NULL) h) FROM coupons k`

// CreateCoupon adds a coupon; a taken code is a conflict naming the field.
func (s *Store) CreateCoupon(ctx context.Context, c *shopcrm.Coupon) error {
	if err := c.Validate(); err != nil {
		return err
	}
	now := s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO coupons (code, title, created_at) VALUES ($1,$2,$3)
			ON CONFLICT (code) DO NOTHING RETURNING id`, c.Code, c.Title, now).Scan(&c.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return &shopcrm.Error{Code: shopcrm.ECONFLICT, Message: "coupon already exists",
				Fields: []shopcrm.FieldError{{Field: "code", Message: "coupon with this code already exists."}}}
		}
		return err
	})
	c.GrantsCount, c.CreatedAt = 0, fromUnix(now)
	return err
}

// FindCouponByID returns a coupon with its grant count.
func (s *Store) FindCouponByID(ctx context.Context, id int64) (*shopcrm.Coupon, error) {
	return findCoupon(ctx, s.read, id)
}

func findCoupon(ctx context.Context, q querier, id int64) (*shopcrm.Coupon, error) {
	c, err := scanCoupon(q.QueryRowContext(ctx, couponSelect+` WHERE k.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("coupon", id)
	}
	return c, err
}

// FindCoupons returns a page of coupons in id order and how many there are.
func (s *Store) FindCoupons(ctx context.Context, offset, limit int) ([]*shopcrm.Coupon, int, error) {
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM coupons`).Scan(&total); err != nil {
		return nil, 0, err
	}
	var args []any
	rows, err := s.read.QueryContext(ctx, couponSelect+` ORDER BY k.id`+s.limitClause(offset, limit, 1, &args), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []*shopcrm.Coupon{}
	for rows.Next() {
		c, err := scanCoupon(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// GrantCoupon grants the coupon to customers: every id must name a customer, else nothing is
// granted; existing grants are skipped.
func (s *Store) GrantCoupon(ctx context.Context, id int64, customerIDs []int64) error {
	ids := uniqueIDs(customerIDs)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := mustExist(ctx, tx, "coupons", "coupon", id); err != nil {
			return err
		}
		if err := checkCustomersExist(ctx, tx, ids); err != nil {
			return err
		}
		_, err := addMembers(ctx, tx, "coupon_grants", "coupon_id", id, ids)
		return err
	})
}

func scanCoupon(r scanner) (*shopcrm.Coupon, error) {
	var c shopcrm.Coupon
	var created int64
	if err := r.Scan(&c.ID, &c.Code, &c.Title, &created, &c.GrantsCount); err != nil {
		return nil, err
	}
	c.CreatedAt = fromUnix(created)
	return &c, nil
}
