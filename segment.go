package shopcrm

import (
	"context"
	"time"
)

// Segment is a named group of customers. Its title is the Lingxing `group` of its members.
type Segment struct {
	ID             int64     `json:"id"`
	Title          string    `json:"title"`
	CustomersCount int       `json:"customers_count"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

// Validate checks a segment.
func (s *Segment) Validate() error {
	var fe FieldErrors
	if s.Title == "" {
		fe.Add("title", "This field may not be blank.")
	} else if len(s.Title) > 255 {
		fe.Add("title", "Ensure this field has no more than 255 characters.")
	}
	return fe.Err()
}

// SegmentService manages segments and their members.
type SegmentService interface {
	CreateSegment(ctx context.Context, s *Segment) error
	FindSegmentByID(ctx context.Context, id int64) (*Segment, error)
	FindSegments(ctx context.Context, offset, limit int) ([]*Segment, int, error)
	UpdateSegment(ctx context.Context, id int64, title string) (*Segment, error)
	DeleteSegment(ctx context.Context, id int64) error
	// AddSegmentCustomers adds members; adding a member twice is a no-op. An unknown
	// customer id is an EINVALID error naming it, and nothing is added.
	AddSegmentCustomers(ctx context.Context, id int64, customerIDs []int64) error
	RemoveSegmentCustomers(ctx context.Context, id int64, customerIDs []int64) error
	// FindSegmentCustomers lists members in id order.
	FindSegmentCustomers(ctx context.Context, id int64, limit int) ([]*Customer, error)
}
