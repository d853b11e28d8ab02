package shopcrm

import (
	"context"
	"time"
)

// Shop is an Amazon seller account in one marketplace, or the seller's own shop.
// Its sid is the key the Lingxing open API uses everywhere.
type Shop struct {
	SID           int64     `json:"sid"`
	Name          string    `json:"name"`
	Marketplace   string    `json:"marketplace"` // US, UK, DE… or SHOP for the own shop
	Country       string    `json:"country"`     // as Lingxing prints it: 美国
	Currency      string    `json:"currency"`
	TimeZone      string    `json:"time_zone"`
	Region        string    `json:"region"`
	MarketplaceID string    `json:"marketplace_id"`
	SellerID      string    `json:"seller_id"`
	Status        int       `json:"status"` // 1 normal, as Lingxing's seller list
	CreatedAt     time.Time `json:"created_at"`
}

// Validate fills marketplace defaults and reports bad fields.
func (s *Shop) Validate() error {
	var fe FieldErrors
	if s.SID <= 0 {
		fe.Add("sid", "must be a positive integer")
	}
	if s.Name == "" {
		fe.Add("name", "required")
	}
	m, ok := Marketplaces[s.Marketplace]
	if !ok {
		fe.Add("marketplace", "unknown marketplace %q", s.Marketplace)
	} else {
		if s.Country == "" {
			s.Country = m.Country
		}
		if s.Currency == "" {
			s.Currency = m.Currency
		}
		if s.TimeZone == "" {
			s.TimeZone = m.TimeZone
		}
		if s.Region == "" {
			s.Region = m.Region
		}
		if s.MarketplaceID == "" {
			s.MarketplaceID = m.MarketplaceID
		}
	}
	if s.TimeZone != "" {
		if _, err := time.LoadLocation(s.TimeZone); err != nil {
			fe.Add("time_zone", "unknown time zone %q", s.TimeZone)
		}
	}
	if s.Status == 0 {
		s.Status = 1
	}
	return fe.Err()
}

// Location returns the shop's time zone; times are shown in it.
func (s *Shop) Location() *time.Location {
	return LoadLocation(s.TimeZone)
}

// ShopFilter selects shops. An empty SIDs selects all.
type ShopFilter struct {
	SIDs []int64
}

// ShopService manages shops.
type ShopService interface {
	CreateShop(ctx context.Context, shop *Shop) error
	FindShopByID(ctx context.Context, sid int64) (*Shop, error)
	FindShops(ctx context.Context, filter ShopFilter) ([]*Shop, int, error)
}
