package lingxing

import (
	"context"

	"github.com/shopcrm/shopcrm"
)

type sellerRow struct {
	SID             int64  `json:"sid"`
	MID             int    `json:"mid"`
	Name            string `json:"name"`
	SellerID        string `json:"seller_id"`
	AccountName     string `json:"account_name"`
	SellerAccountID int64  `json:"seller_account_id"`
	Region          string `json:"region"`
	Country         string `json:"country"`
	HasAdsSetting   int    `json:"has_ads_setting"`
	MarketplaceID   string `json:"marketplace_id"`
	Status          int    `json:"status"`
}

// marketplaceMIDs number marketplaces as Lingxing's "mid".
var marketplaceMIDs = map[string]int{"US": 1, "CA": 2, "MX": 3, "UK": 4, "DE": 5, "FR": 6, "IT": 7, "ES": 8,
	"JP": 10, "AU": 11, "IN": 12, "AE": 13, "NL": 14, "SE": 15, "PL": 16}

// sellerList serves GET /erp/sc/data/seller/lists: the shops the app may see. Fields
// shopcrm does not track (ads setting, a separate account id) take neutral values.
func (s *Server) sellerList(ctx context.Context, app *shopcrm.App, _ []byte) (any, int, error) {
	shops, _, err := s.Shops.FindShops(ctx, shopcrm.ShopFilter{SIDs: app.SIDs})
	if err != nil {
		return nil, 0, err
	}
	rows := make([]sellerRow, len(shops))
	for i, sh := range shops {
		rows[i] = sellerRow{SID: sh.SID, MID: marketplaceMIDs[sh.Marketplace], Name: sh.Name, SellerID: sh.SellerID,
			AccountName: sh.Name, SellerAccountID: sh.SID, Region: sh.Region, Country: sh.Country,
			MarketplaceID: sh.MarketplaceID, Status: sh.Status}
	}
	return rows, -1, nil // Lingxing's seller list carries no total
}
