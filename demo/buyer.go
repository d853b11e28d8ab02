package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
)

type gen struct {
	seed  uint64
	shops []shopSpec
}

// chunk is the files of the buyers lo…hi-1, one set per shop.
type chunk struct {
	dir    string
	lo, hi int
	files  map[int64]*shopFiles
}

func (c *chunk) shop(sid int64) *shopFiles {
	f := c.files[sid]
	if f == nil {
		f = newShopFiles(c.dir, sid)
		c.files[sid] = f
	}
	return f
}

// chunk writes the files of buyers lo…hi-1. Each buyer draws from its own generator
// seeded by (seed, buyer), so the data does not depend on how buyers are chunked.
func (g *gen) chunk(ctx context.Context, dir string, lo, hi int) (*chunk, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	c := &chunk{dir: dir, lo: lo, hi: hi, files: map[int64]*shopFiles{}}
	if lo == 0 {
		g.catalogue(c)
	}
	var err error
	for i := lo; i < hi && err == nil; i++ {
		if i%4096 == 0 {
			err = ctx.Err()
		}
		g.buyer(i, c)
	}
	for _, f := range c.files {
		if cerr := f.close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return c, nil
}

var (
	firstNames = []string{"Linda", "John", "Mary", "James", "Patricia", "Robert", "Jennifer", "Michael", "Elizabeth",
		"William", "Barbara", "David", "Susan", "Richard", "Jessica", "Joseph", "Sarah", "Thomas", "Karen", "Charles"}
	lastNames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
		"Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Taylor", "Moore", "Jackson", "Martin", "Meckel"}
)

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func randText(r *rand.Rand, n int, chars string) string {
	b := make([]byte, n)
	for k := range b {
		b[k] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

// buyer generates buyer i's orders with their after-sales and feedback.
func (g *gen) buyer(i int, c *chunk) {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	n := orderCount(r)
	if r.IntN(20) == 0 { // about 5 % are customers of the own web shop
		g.ownBuyer(r, i, n, first, last, c)
		return
	}
	b := &amazonBuyer{email: randText(r, 15, alnum) + "@marketplace.amazon.com", name: first + " " + last}
	home := g.shops[r.IntN(len(g.shops))]
	for k := 0; k < n; k++ {
		sp := home
		if r.IntN(5) == 0 {
			sp = g.shops[r.IntN(len(g.shops))]
		}
		g.amazonOrder(r, c.shop(sp.sid), sp, b, fmt.Sprintf("%03d-%07d-%07d", 100+i%900, i, k))
	}
}

// orderCount draws a Zipf-like (Pareto, α = 1.7, rounded up) number of orders: most buyers
// order once or twice, a few order dozens of times; the mean is about 3.
func orderCount(r *rand.Rand) int {
	u := 1 - r.Float64()
	return min(80, int(math.Ceil(math.Pow(u, -1/1.7))))
}

// skusPerShop is the catalogue size of each shop.
const skusPerShop = 60

func sku(sid int64, k int) string { return fmt.Sprintf("MSKU-%d-%03d", sid, k) }
func asin(sid int64, k int) string {
	return fmt.Sprintf("B0%08X", uint32(sid*1000+int64(k))*2654435761)
}

var productNames = []string{"Wireless Earbuds", "Phone Case", "USB-C Cable", "Yoga Mat", "Water Bottle", "Desk Lamp",
	"Hair Clip Set", "Kids Headphones", "Backpack", "Screen Protector", "Garden Hose", "Dog Leash"}

func title(k int) string { return fmt.Sprintf("%s, model %d", productNames[k%len(productNames)], k) }

// catalogue writes every shop's products as orders-ndjson catalogue lines, so after-sale
// items show the seller's local SKU and name.
func (g *gen) catalogue(c *chunk) {
	for _, sp := range append([]shopSpec{ownShop}, g.shops...) {
		f := c.shop(sp.sid)
		for k := 0; k < skusPerShop; k++ {
			f.ndjson(ingest.NDJSONOrder{Type: "product", MSKU: sku(sp.sid, k), ASIN: asin(sp.sid, k),
				LocalSKU: fmt.Sprintf("LOCAL-%03d", k), LocalName: fmt.Sprintf("[演示数据]%s %d", productNames[k%len(productNames)], k),
				Title: title(k), SmallImageURL: fmt.Sprintf("https://img.example/%s.jpg", asin(sp.sid, k))})
		}
	}
}

// ownBuyer writes the orders of an own-shop customer as orders-ndjson, with coupon codes.
func (g *gen) ownBuyer(r *rand.Rand, i, n int, first, last string, c *chunk) {
	email := fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(first), randText(r, 5, alnum), i)
	mobile := ""
	if r.IntN(2) == 0 {
		mobile = fmt.Sprintf("+86 1%d%d %04d %04d", 3+r.IntN(6), r.IntN(10), r.IntN(10000), r.IntN(10000))
	}
	f := c.shop(OwnShopSID)
	for k := 0; k < n; k++ {
		purchase := purchaseTime(r)
		o := ingest.NDJSONOrder{OrderNumber: fmt.Sprintf("S%08d-%02d", i, k), PurchaseTime: iso(purchase),
			UpdatedTime: iso(purchase.Add(time.Duration(1+r.IntN(72)) * time.Hour)), Status: "Completed",
			BuyerEmail: email, BuyerName: first + " " + last, BuyerMobile: mobile, Currency: "CNY",
			Fulfilment: shopcrm.FulfilmentFBM, SalesChannel: ownShop.channel}
		if r.IntN(3) == 0 {
			o.CouponCode = coupons[r.IntN(len(coupons))]
		}
		if r.IntN(33) == 0 {
			o.Status = "Cancelled"
		}
		for j, k0 := 0, r.IntN(skusPerShop); j < 1+r.IntN(3); j++ {
			k := (k0 + 7*j) % skusPerShop
			qty := int64(1 + r.IntN(2))
			price := shopcrm.Amount(int64(499+r.IntN(7500)) * ownShop.priceFactor * qty)
			o.Items = append(o.Items, ingest.NDJSONItem{SKU: sku(OwnShopSID, k), ASIN: asin(OwnShopSID, k), Title: title(k),
				Quantity: qty, Price: price.String()})
		}
		f.ndjson(o)
	}
}

// purchaseTime draws a purchase in the three years before Reference.
func purchaseTime(r *rand.Rand) time.Time {
	return Reference.Add(-time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour)))).Truncate(time.Second)
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05-07:00") }
