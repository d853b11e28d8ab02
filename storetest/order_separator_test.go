package storetest_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestStoredOrderSeparator: SQLite reads a stored order and its lines back as one text
// joined by U+001F. Values holding that character are read again column by column; either
// way the merge must see exactly what is stored: a later copy without titles keeps them,
// and the same copy once more changes nothing.
func TestStoredOrderSeparator(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		bought := time.Date(2025, 2, 3, 4, 5, 6, 0, time.UTC)
		batch := func(status string, titles bool) []*shopcrm.Order {
			title := func(v string) string {
				if titles {
					return v
				}
				return ""
			}
			return []*shopcrm.Order{
				{SID: 1, Number: "111-plain", BuyerEmail: "a@example.com", BuyerName: "Ann", Status: status,
					PurchaseTime: bought, UpdatedTime: bought, Currency: "USD", SalesChannel: "Amazon.com",
					Items: []shopcrm.OrderItem{{SKU: "P1", ASIN: "B01", Title: title("Mug"), Quantity: 2, Price: 1500, Tax: 120}}},
				{SID: 1, Number: "222-\x1f-sep", BuyerName: "Bo\x1fb", Status: status,
					PurchaseTime: bought, UpdatedTime: bought, Currency: "USD",
					Items: []shopcrm.OrderItem{
						{SKU: "S\x1f1", ASIN: "B02", Title: title("Cup\x1fsaucer"), Quantity: 1, Price: 900, Promotion: "PROMO\x1f1"},
						{SKU: "S2", ASIN: "B03", Title: title("Plate"), Quantity: 3, Price: 2100, Tax: -5}}},
				{SID: 1, Number: "333-line", BuyerEmail: "c@example.com", Status: status,
					PurchaseTime: bought, UpdatedTime: bought, Currency: "USD",
					Items: []shopcrm.OrderItem{
						{SKU: "L1", Title: title("Bowl"), Quantity: 1, Price: 700},
						{SKU: "L2", Title: title("Spoon\x1f"), Quantity: 4, Price: 400}}},
				{SID: 1, Number: "444-tail", BuyerEmail: "d@example.com", Status: status, CouponCode: "SAVE\x1f10",
					PurchaseTime: bought, UpdatedTime: bought, Currency: "USD",
					Items: []shopcrm.OrderItem{{SKU: "T1", Title: title("Jug"), Quantity: 1, Price: 300, Promotion: "P\x1f2"}}},
			}
		}
		res, err := s.UpsertOrders(ctx, batch("Pending", true))
		if err != nil || res.Inserted != 4 {
			t.Fatalf("first copy: %+v, %v", res, err)
		}
		later := batch("Shipped", false)
		for _, o := range later {
			o.UpdatedTime = bought.Add(time.Hour)
		}
		if res, err = s.UpsertOrders(ctx, later); err != nil || res.Updated != 4 {
			t.Fatalf("later copy: %+v, %v; want 4 updated", res, err)
		}
		if res, err = s.UpsertOrders(ctx, batch("Shipped", false)); err != nil || res.Unchanged != 4 {
			t.Fatalf("the later copy again: %+v, %v; want 4 unchanged", res, err)
		}
		stored := storetest.Texts(t, s, `SELECT o.number || '|' || o.buyer_name || '|' || o.status || '|' || o.coupon_code || '|' || i.sku || '|' ||
			i.asin || '|' || i.title || '|' || i.quantity || '|' || i.price || '|' || i.tax || '|' || i.promotion
			FROM orders o JOIN order_items i ON i.order_id = o.id`)
		slices.Sort(stored) // in Go: PostgreSQL's collation may not sort by bytes
		got := strings.ReplaceAll(strings.Join(stored, "\n"), "\x1f", "^")
		want := strings.Join([]string{
			"111-plain|Ann|Shipped||P1|B01|Mug|2|1500|120|",
			"222-^-sep|Bo^b|Shipped||S^1|B02|Cup^saucer|1|900|0|PROMO^1",
			"222-^-sep|Bo^b|Shipped||S2|B03|Plate|3|2100|-5|",
			"333-line||Shipped||L1||Bowl|1|700|0|",
			"333-line||Shipped||L2||Spoon^|4|400|0|",
			"444-tail||Shipped|SAVE^10|T1||Jug|1|300|0|P^2",
		}, "\n")
		if got != want {
			t.Fatalf("stored:\n%s\nwant:\n%s", got, want)
		}
	})
}
