package shopcrm

import "time"

// Feedback is seller feedback left by the buyer of an order, keyed by (SID, OrderNumber).
type Feedback struct {
	SID         int64
	OrderNumber string
	Rating      int
	Date        time.Time
	Comment     string
	Response    string
	RaterEmail  string
}

// Negative reports whether the rating is 1 or 2 stars.
func (f *Feedback) Negative() bool { return f.Rating <= 2 }

// Validate checks a feedback row.
func (f *Feedback) Validate() error {
	var fe FieldErrors
	if f.SID <= 0 {
		fe.Add("sid", "required")
	}
	if f.OrderNumber == "" {
		fe.Add("order_id", "required")
	}
	if f.Rating < 1 || f.Rating > 5 {
		fe.Add("rating", "must be 1 to 5, got %d", f.Rating)
	}
	return fe.Err()
}
