package shopcrm

import (
	"context"
	"encoding/json"
	"net/mail"
	"strings"
	"time"
)

// Customer is one person buying from the seller: an Amazon buyer (keyed by buyer e-mail) or a
// customer of the own shop. It carries every field of the Heidian customer representation.
type Customer struct {
	ID                  int64           `json:"id"`
	Email               string          `json:"email"`
	FullName            string          `json:"full_name"`
	Mobile              string          `json:"mobile"`
	Gender              string          `json:"gender"`             // unknown, male, female
	Birthday            string          `json:"birthday,omitempty"` // YYYY-MM-DD or ""
	Note                string          `json:"note"`
	AcceptsMarketing    bool            `json:"accepts_marketing"`
	Tags                []string        `json:"tags"`
	Addresses           []Address       `json:"addresses"`
	ReferralCode        string          `json:"referral_code"`
	ReferrerID          *int64          `json:"referrer"`
	Level               *string         `json:"level"`
	Points              int64           `json:"points"`
	TotalPoints         int64           `json:"total_points"`
	Metafields          []Metafield     `json:"metafields"`
	Profile             CustomerProfile `json:"profile"`
	MultipassIdentifier *string         `json:"multipass_identifier"`
	Avatar              string          `json:"avatar"`
	CreatedAt           time.Time       `json:"created_at"`
	UpdatedAt           time.Time       `json:"updated_at"`

	// Filled on read.
	Segments   []SegmentRef       `json:"segments"`
	Statistics CustomerStatistics `json:"statistics"`
}

// Address is a postal address of a customer.
type Address struct {
	ID        int64  `json:"id,omitempty"`
	FullName  string `json:"full_name"`
	Mobile    string `json:"mobile"`
	Country   string `json:"country"`
	Province  string `json:"province"`
	City      string `json:"city"`
	District  string `json:"district"`
	Address1  string `json:"address1"`
	Address2  string `json:"address2"`
	Zip       string `json:"zip"`
	IsDefault bool   `json:"is_default"`
}

// Metafield is a free key/value attached to a customer.
type Metafield struct {
	Namespace string          `json:"namespace"`
	Key       string          `json:"key"`
	Value     json.RawMessage `json:"value"`
}

// CustomerProfile records where a customer came from.
type CustomerProfile struct {
	SourceName      string `json:"source_name"`
	CampaignName    string `json:"campaign_name"`
	CampaignSource  string `json:"campaign_source"`
	CampaignMedium  string `json:"campaign_medium"`
	CampaignContent string `json:"campaign_content"`
	CampaignTerm    string `json:"campaign_term"`
}

// SegmentRef names a segment a customer belongs to.
type SegmentRef struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
}

// CustomerStatistics are the Heidian order statistics, kept current when orders are written.
type CustomerStatistics struct {
	Orders            int64      `json:"orders"`
	PaidOrders        int64      `json:"paid_orders"`
	TotalSpent        Amount     `json:"-"` // in the customer's last order currency
	Currency          string     `json:"-"`
	LastOrderID       *int64     `json:"last_order_id"`
	LastOrderPaidAt   *time.Time `json:"last_order_paid_at"`
	CustomersReferred int64      `json:"customers_referred"`
}

// Genders accepted for a customer.
var Genders = map[string]bool{"unknown": true, "male": true, "female": true}

// Validate normalises and checks a customer before it is written.
func (c *Customer) Validate() error {
	var fe FieldErrors
	c.Email = strings.TrimSpace(c.Email)
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email {
			fe.Add("email", "Enter a valid email address.")
		}
	}
	if c.Gender == "" {
		c.Gender = "unknown"
	}
	if !Genders[c.Gender] {
		fe.Add("gender", "\"%s\" is not a valid choice.", c.Gender)
	}
	if c.Birthday != "" {
		if _, err := time.Parse("2006-01-02", c.Birthday); err != nil {
			fe.Add("birthday", "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
		}
	}
	if len(c.Mobile) > 32 {
		fe.Add("mobile", "Ensure this field has no more than 32 characters.")
	}
	if len(c.FullName) > 255 {
		fe.Add("full_name", "Ensure this field has no more than 255 characters.")
	}
	if c.Tags == nil {
		c.Tags = []string{}
	}
	if c.Addresses == nil {
		c.Addresses = []Address{}
	}
	if c.Metafields == nil {
		c.Metafields = []Metafield{}
	}
	if c.Profile.SourceName == "" {
		c.Profile.SourceName = "unknown"
	}
	return fe.Err()
}

// CustomerFilter selects customers for the REST list.
type CustomerFilter struct {
	ID              *int64
	IDs             []int64
	Coupon          *int64
	CouponExclude   *int64
	Segment         *int64
	SegmentExclude  *int64
	Search          string // substring of name, e-mail or mobile
	OrderBy         string // whitelisted: created_at, updated_at, orders, total_spent…; "-" prefix = desc
	Offset, Limit   int
	WithoutTotal    bool
	WithoutExpanded bool // skip segments/statistics (cheap lists)
}

// CustomerUpdate holds the fields a PATCH changes; nil means unchanged.
type CustomerUpdate struct {
	Email            *string
	FullName         *string
	Mobile           *string
	Gender           *string
	Birthday         *string
	Note             *string
	AcceptsMarketing *bool
	Tags             *[]string
	Addresses        *[]Address
	ReferralCode     *string
	ReferrerID       **int64
	Metafields       *[]Metafield
	Profile          *CustomerProfile
}

// Apply copies the set fields of u onto c.
func (u *CustomerUpdate) Apply(c *Customer) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&c.Email, u.Email)
	set(&c.FullName, u.FullName)
	set(&c.Mobile, u.Mobile)
	set(&c.Gender, u.Gender)
	set(&c.Birthday, u.Birthday)
	set(&c.Note, u.Note)
	set(&c.ReferralCode, u.ReferralCode)
	if u.AcceptsMarketing != nil {
		c.AcceptsMarketing = *u.AcceptsMarketing
	}
	if u.Tags != nil {
		c.Tags = *u.Tags
	}
	if u.Addresses != nil {
		c.Addresses = *u.Addresses
	}
	if u.ReferrerID != nil {
		c.ReferrerID = *u.ReferrerID
	}
	if u.Metafields != nil {
		c.Metafields = *u.Metafields
	}
	if u.Profile != nil {
		c.Profile = *u.Profile
	}
}

// CustomerService manages customers.
type CustomerService interface {
	FindCustomerByID(ctx context.Context, id int64) (*Customer, error)
	FindCustomers(ctx context.Context, filter CustomerFilter) ([]*Customer, int, error)
	CreateCustomer(ctx context.Context, c *Customer) error
	UpdateCustomer(ctx context.Context, id int64, upd CustomerUpdate) (*Customer, error)
	// ReplaceCustomer writes every field of c (PUT).
	ReplaceCustomer(ctx context.Context, c *Customer) error
	// DeleteCustomer removes the customer; its orders and after-sales stay, unlinked.
	DeleteCustomer(ctx context.Context, id int64) error
}
