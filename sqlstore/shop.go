package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/shopcrm/shopcrm"
)

const shopColumns = `sid, name, marketplace, country, currency, time_zone, region, marketplace_id, seller_id, status, created_at`

// CreateShop adds a shop; an existing sid is a conflict.
func (s *Store) CreateShop(ctx context.Context, shop *shopcrm.Shop) error {
	if err := shop.Validate(); err != nil {
		return err
	}
	shop.CreatedAt = s.Now().UTC().Truncate(1e9)
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO shops (`+shopColumns+`)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) ON CONFLICT (sid) DO NOTHING`,
			shop.SID, shop.Name, shop.Marketplace, shop.Country, shop.Currency, shop.TimeZone,
			shop.Region, shop.MarketplaceID, shop.SellerID, shop.Status, unix(shop.CreatedAt))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &shopcrm.Error{Code: shopcrm.ECONFLICT, Message: "shop already exists",
				Fields: []shopcrm.FieldError{{Field: "sid", Message: "a shop with this sid already exists"}}}
		}
		return nil
	})
}

// FindShopByID returns one shop.
func (s *Store) FindShopByID(ctx context.Context, sid int64) (*shopcrm.Shop, error) {
	shop, err := scanShop(s.read.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE sid = $1`, sid))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("shop", sid)
	}
	return shop, err
}

// FindShops lists shops by sid.
func (s *Store) FindShops(ctx context.Context, filter shopcrm.ShopFilter) ([]*shopcrm.Shop, int, error) {
	return findShops(ctx, s.read, filter.SIDs)
}

func findShops(ctx context.Context, q querier, sids []int64) ([]*shopcrm.Shop, int, error) {
	query := `SELECT ` + shopColumns + ` FROM shops`
	if len(sids) > 0 {
		query += ` WHERE sid IN (` + placeholders(1, len(sids)) + `)`
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY sid`, int64Args(sids)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var shops []*shopcrm.Shop
	for rows.Next() {
		shop, err := scanShop(rows)
		if err != nil {
			return nil, 0, err
		}
		shops = append(shops, shop)
	}
	return shops, len(shops), rows.Err()
}

type scanner interface{ Scan(dest ...any) error }

func scanShop(r scanner) (*shopcrm.Shop, error) {
	var sh shopcrm.Shop
	var created int64
	err := r.Scan(&sh.SID, &sh.Name, &sh.Marketplace, &sh.Country, &sh.Currency, &sh.TimeZone,
		&sh.Region, &sh.MarketplaceID, &sh.SellerID, &sh.Status, &created)
	sh.CreatedAt = fromUnix(created)
	return &sh, err
}

// shopMap loads every shop by sid; writes and reads need zones and currencies of few shops.
func shopMap(ctx context.Context, q querier) (map[int64]*shopcrm.Shop, error) {
	shops, _, err := findShops(ctx, q, nil)
	m := make(map[int64]*shopcrm.Shop, len(shops))
	for _, sh := range shops {
		m[sh.SID] = sh
	}
	return m, err
}
