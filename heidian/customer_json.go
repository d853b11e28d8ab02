package heidian

import (
	"time"

	"github.com/shopcrm/shopcrm"
)

// customerJSON is the customer representation of the seed's create response, field for
// field and in its order.
type customerJSON struct {
	ID                  int64                   `json:"id"`
	MultipassIdentifier *string                 `json:"multipass_identifier"`
	Mobile              string                  `json:"mobile"`
	FullName            string                  `json:"full_name"`
	Gender              string                  `json:"gender"`
	Email               string                  `json:"email"`
	Birthday            *string                 `json:"birthday"`
	Avatar              string                  `json:"avatar"`
	Note                string                  `json:"note"`
	AcceptsMarketing    bool                    `json:"accepts_marketing"`
	CreatedAt           string                  `json:"created_at"`
	UpdatedAt           string                  `json:"updated_at"`
	ReferralCode        string                  `json:"referral_code"`
	Referrer            *int64                  `json:"referrer"`
	Tags                []string                `json:"tags"`
	Addresses           []shopcrm.Address       `json:"addresses"`
	Segments            []shopcrm.SegmentRef    `json:"segments"`
	SegmentIDs          []int64                 `json:"segment_ids"`
	Statistics          statisticsJSON          `json:"statistics"`
	Profile             shopcrm.CustomerProfile `json:"profile"`
	WechatNickname      string                  `json:"wechat_nickname"`
	Level               *string                 `json:"level"`
	TotalPoints         int64                   `json:"total_points"`
	Points              int64                   `json:"points"`
	Metafields          []shopcrm.Metafield     `json:"metafields"`
}

// statisticsJSON carries money and rates as 2-decimal strings, as Heidian does. Visits,
// devices and abandoned checkouts are not tracked here and show as zero or empty.
type statisticsJSON struct {
	LastOrderID          *int64  `json:"last_order_id"`
	LastOrderPaidAt      *string `json:"last_order_paid_at"`
	AbandonedCheckouts   int     `json:"abandoned_checkouts"`
	Orders               int64   `json:"orders"`
	PaidOrders           int64   `json:"paid_orders"`
	TotalSpent           string  `json:"total_spent"`
	AverageOrderPrice    string  `json:"average_order_price"`
	Visits               int     `json:"visits"`
	VisitsPerDay         string  `json:"visits_per_day"`
	CustomersReferred    int64   `json:"customers_referred"`
	TotalSpentOfReferred string  `json:"total_spent_of_referred"`
	PreferredDevice      string  `json:"preferred_device"`
	Location             string  `json:"location"`
}

// memberJSON is the short form of a customer embedded in a segment (as in the seed).
type memberJSON struct {
	ID               int64             `json:"id"`
	Mobile           string            `json:"mobile"`
	FullName         string            `json:"full_name"`
	Gender           string            `json:"gender"`
	Email            string            `json:"email"`
	Birthday         *string           `json:"birthday"`
	Note             string            `json:"note"`
	AcceptsMarketing bool              `json:"accepts_marketing"`
	Tags             []string          `json:"tags"`
	Addresses        []shopcrm.Address `json:"addresses"`
	CreatedAt        string            `json:"created_at"`
}

// timeJSON is ISO 8601 with the offset of the configured zone.
func (s *Server) timeJSON(t time.Time) string { return t.In(s.Location).Format(time.RFC3339) }

func nullIfBlank(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func (s *Server) customerJSON(c *shopcrm.Customer) *customerJSON {
	st := c.Statistics
	out := &customerJSON{
		ID: c.ID, MultipassIdentifier: c.MultipassIdentifier, Mobile: c.Mobile, FullName: c.FullName,
		Gender: c.Gender, Email: c.Email, Birthday: nullIfBlank(c.Birthday), Avatar: c.Avatar, Note: c.Note,
		AcceptsMarketing: c.AcceptsMarketing, CreatedAt: s.timeJSON(c.CreatedAt), UpdatedAt: s.timeJSON(c.UpdatedAt),
		ReferralCode: c.ReferralCode, Referrer: c.ReferrerID, Tags: nonNil(c.Tags), Addresses: nonNil(c.Addresses),
		Segments: nonNil(c.Segments), SegmentIDs: make([]int64, len(c.Segments)), Profile: c.Profile,
		Level: c.Level, TotalPoints: c.TotalPoints, Points: c.Points, Metafields: nonNil(c.Metafields),
		Statistics: statisticsJSON{LastOrderID: st.LastOrderID, Orders: st.Orders, PaidOrders: st.PaidOrders,
			TotalSpent: st.TotalSpent.String(), AverageOrderPrice: average(st.TotalSpent, st.Orders).String(),
			VisitsPerDay: "0.00", CustomersReferred: st.CustomersReferred, TotalSpentOfReferred: "0.00"},
	}
	for i, sg := range c.Segments {
		out.SegmentIDs[i] = sg.ID
	}
	if st.LastOrderPaidAt != nil {
		t := s.timeJSON(*st.LastOrderPaidAt)
		out.Statistics.LastOrderPaidAt = &t
	}
	return out
}

func (s *Server) memberJSON(c *shopcrm.Customer) memberJSON {
	return memberJSON{ID: c.ID, Mobile: c.Mobile, FullName: c.FullName, Gender: c.Gender, Email: c.Email,
		Birthday: nullIfBlank(c.Birthday), Note: c.Note, AcceptsMarketing: c.AcceptsMarketing,
		Tags: nonNil(c.Tags), Addresses: nonNil(c.Addresses), CreatedAt: s.timeJSON(c.CreatedAt)}
}

// average is total / n rounded half away from zero, in cents: exact, no floats.
func average(total shopcrm.Amount, n int64) shopcrm.Amount {
	if n <= 0 {
		return 0
	}
	t := int64(total)
	if t < 0 {
		return -shopcrm.Amount((-t + n/2) / n)
	}
	return shopcrm.Amount((t + n/2) / n)
}

// nonNil renders an absent list as [] rather than null.
func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
