// Package demo generates a deterministic, realistic synthetic data set: shops in eight
// marketplaces, Amazon buyers with Zipf-like order counts, refunds, returns, exchanges,
// feedback, own-shop customers with coupons, segments and a product catalogue. The same seed
// always gives the same data, and writing it twice changes nothing.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// Options size the data set.
type Options struct {
	Buyers int
	Seed   int64
}

// Summary counts what was written.
type Summary struct {
	Shops, Orders, OrdersInserted, AfterSales, Feedback, Segments int
}

// Reference is the day the data set ends: fixed, so the same seed gives the same data.
var Reference = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// OwnShopSID is the seller's own web shop in the data set.
const OwnShopSID = 100

type shopSpec struct {
	sid         int64
	name, mkt   string
	priceFactor int64 // JPY prices are ~100× USD
}

func shops() []shopSpec {
	mkts := []string{"US", "CA", "UK", "DE", "FR", "IT", "JP", "AU"}
	var out []shopSpec
	for i := 0; i < 20; i++ {
		m := mkts[i%len(mkts)]
		f := int64(1)
		if m == "JP" {
			f = 100
		}
		out = append(out, shopSpec{sid: int64(101 + i), name: fmt.Sprintf("Brand%02d-%s", i/len(mkts)+1, m), mkt: m, priceFactor: f})
	}
	return out
}

const batchOrders = 2000

// Generate writes the data set through the store's ingest services, buyer by buyer, in
// batches, so memory stays flat however many buyers there are.
func Generate(ctx context.Context, s *sqlstore.Store, o Options) (Summary, error) {
	var sum Summary
	if o.Buyers <= 0 {
		return sum, fmt.Errorf("demo: --buyers must be positive")
	}
	g := &gen{rng: rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed)), shops: shops()}
	if err := g.createShops(ctx, s, &sum); err != nil {
		return sum, err
	}
	if err := g.writeProducts(ctx, s); err != nil {
		return sum, err
	}
	w := &writer{s: s, sum: &sum}
	for i := 0; i < o.Buyers; i++ {
		g.buyer(i, w)
		if len(w.orders) >= batchOrders {
			if err := w.flush(ctx); err != nil {
				return sum, err
			}
		}
	}
	if err := w.flush(ctx); err != nil {
		return sum, err
	}
	return sum, g.segments(ctx, s, &sum)
}

func (g *gen) createShops(ctx context.Context, s *sqlstore.Store, sum *Summary) error {
	all := append([]shopSpec{{sid: OwnShopSID, name: "Own web shop", mkt: "SHOP", priceFactor: 7}}, g.shops...)
	for _, sp := range all {
		err := s.CreateShop(ctx, &shopcrm.Shop{SID: sp.sid, Name: sp.name, Marketplace: sp.mkt, SellerID: fmt.Sprintf("A%012d", sp.sid)})
		if err != nil && shopcrm.ErrorCode(err) != shopcrm.ECONFLICT {
			return err
		}
		sum.Shops++
	}
	return nil
}

// skusPerShop is the catalogue size of each shop.
const skusPerShop = 60

func sku(sid int64, k int) string { return fmt.Sprintf("MSKU-%d-%03d", sid, k) }
func asin(sid int64, k int) string {
	return fmt.Sprintf("B0%08X", uint32(sid*1000+int64(k))*2654435761)
}

var productNames = []string{"Wireless Earbuds", "Phone Case", "USB-C Cable", "Yoga Mat", "Water Bottle", "Desk Lamp",
	"Hair Clip Set", "Kids Headphones", "Backpack", "Screen Protector", "Garden Hose", "Dog Leash"}

func (g *gen) writeProducts(ctx context.Context, s *sqlstore.Store) error {
	var ps []*shopcrm.Product
	for _, sp := range append([]shopSpec{{sid: OwnShopSID}}, g.shops...) {
		for k := 0; k < skusPerShop; k++ {
			name := productNames[k%len(productNames)]
			ps = append(ps, &shopcrm.Product{SID: sp.sid, MSKU: sku(sp.sid, k), ASIN: asin(sp.sid, k),
				LocalSKU: fmt.Sprintf("LOCAL-%03d", k), LocalName: fmt.Sprintf("[演示数据]%s %d", name, k),
				Title: fmt.Sprintf("%s, model %d", name, k), SmallImageURL: fmt.Sprintf("https://img.example/%s.jpg", asin(sp.sid, k))})
		}
	}
	_, err := s.UpsertProducts(ctx, ps)
	return err
}

// orderCount draws a Zipf-like (Pareto, α = 1.7, rounded up) number of orders: most buyers
// order once or twice, a few order dozens of times; the mean is about 3.
func (g *gen) orderCount() int {
	u := 1 - g.rng.Float64()
	return min(80, int(math.Ceil(math.Pow(u, -1/1.7))))
}
