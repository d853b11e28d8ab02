package shopcrm

import (
	"context"
	"time"
)

// Coupon is a discount issued to customers. Grants come from the REST API and from orders
// that used the coupon's code.
type Coupon struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	Title       string    `json:"title"`
	GrantsCount int       `json:"grants_count"`
	CreatedAt   time.Time `json:"created_at"`
}

// Validate checks a coupon.
func (c *Coupon) Validate() error {
	var fe FieldErrors
	if c.Code == "" {
		fe.Add("code", "This field may not be blank.")
	}
	return fe.Err()
}

// CouponService manages coupons and grants.
type CouponService interface {
	CreateCoupon(ctx context.Context, c *Coupon) error
	FindCouponByID(ctx context.Context, id int64) (*Coupon, error)
	FindCoupons(ctx context.Context, offset, limit int) ([]*Coupon, int, error)
	// GrantCoupon grants the coupon to customers; granting twice is a no-op.
	GrantCoupon(ctx context.Context, id int64, customerIDs []int64) error
}
