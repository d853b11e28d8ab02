package amazon_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/amazon"
)

func TestOrderReader(t *testing.T) {
	tests := []struct {
		file string
		want []any
	}{
		// 33 columns; rows from the reference, a pending line without price, a short row.
		{"orders.tsv", []any{
			amazon.OrderLine{
				Line: 2, OrderID: "113-8871452-8288246", PurchaseDate: utc("2022-07-18T18:52:47Z"),
				LastUpdated: utc("2022-07-29T08:19:16Z"), OrderStatus: "Cancelled", FulfillmentChannel: "Merchant",
				SalesChannel: "Amazon.com", OrderChannel: "WebsiteOrderChannel", ShipServiceLevel: "Standard",
				ProductName: "Beyond Meat Beyond Burger Plant-Based Patties 2 pk, 8 oz (Frozen)",
				SKU:         "2J-D6V7-C8XI", ASIN: "B074K5MDLW", Quantity: 0, Currency: "USD",
				ItemPrice: 1400, HasItemPrice: true,
				ShipCity: "KERRVILLE", ShipState: "TX", ShipPostalCode: "78028-6411", ShipCountry: "US",
			},
			amazon.OrderLine{
				Line: 3, OrderID: "114-3041148-1777835", PurchaseDate: utc("2026-05-08T23:36:26Z"),
				LastUpdated: utc("2026-05-09T01:02:03Z"), OrderStatus: "Pending", FulfillmentChannel: "Amazon",
				SalesChannel: "Amazon.com", ShipServiceLevel: "Expedited", ProductName: `Mug "Classic`,
				SKU: "MUG-1", ASIN: "B000000001", ItemStatus: "Unshipped", Quantity: 1, Currency: "USD",
				ShipCity: "BURBANK", ShipState: "IL", ShipPostalCode: "60459-3101", ShipCountry: "US",
				IsBusinessOrder: true,
			},
			rowErr(4, "quantity", `invalid integer "x"`),
			amazon.OrderLine{
				Line: 5, OrderID: "114-0000000-0000004", PurchaseDate: utc("2026-05-10T10:00:00Z"),
				LastUpdated: utc("2026-05-11T12:00:00Z"), OrderStatus: "Shipped", FulfillmentChannel: "Amazon",
				SalesChannel: "Amazon.com", SKU: "MUG-2", ASIN: "B000000002", ItemStatus: "Shipped",
				Quantity: 2, Currency: "USD", ItemPrice: 2990, HasItemPrice: true, ItemTax: 239,
				ItemPromotionDiscount: -300,
				PromotionIDs:          []string{"Duplicated A3JU1FCINF5SD0 1569460229772", "PLM-123"},
				ShipCity:              "TAMPA", ShipState: "FLORIDA", ShipPostalCode: "33601", ShipCountry: "US",
			},
			amazon.OrderLine{
				Line: 6, OrderID: "114-0000000-0000005", PurchaseDate: utc("2026-05-12T12:00:00Z"),
				OrderStatus: "Shipped", FulfillmentChannel: "Amazon", SalesChannel: "Amazon.com",
				ShipServiceLevel: "Standard", ProductName: "Short row", SKU: "MUG-3", ASIN: "B000000003",
				ItemStatus: "Shipped", Quantity: 1, Currency: "USD", ItemPrice: 999, HasItemPrice: true,
			},
			rowErr(7, "purchase-date", `invalid date "yesterday"`),
		}},
		// 34 columns with order-item-id and url, header names in other spellings.
		{"orders-34.tsv", []any{
			amazon.OrderLine{
				Line: 2, OrderID: "405-1111111-2222222", OrderItemID: "54321098765432",
				PurchaseDate: utc("2017-06-17T08:04:21Z"), LastUpdated: utc("2017-06-18T22:07:59Z"),
				OrderStatus: "Shipped", FulfillmentChannel: "Amazon", SalesChannel: "Amazon.it",
				ShipServiceLevel: "SecondDay", ProductName: "Borraccia", SKU: "BOR-1", ASIN: "B0BORRACC",
				ItemStatus: "Shipped", Quantity: 1, Currency: "EUR", ItemPrice: 8995, HasItemPrice: true,
				ShipCity: "TOWNNAME", ShipState: "GA", ShipPostalCode: "30041-8435", ShipCountry: "US",
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := amazon.NewOrderReader(open(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readAll(t, r.Next)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

const allOrdersHeader = "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t" +
	"fulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\tasin\t" +
	"item-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\tgift-wrap-price\t" +
	"gift-wrap-tax\titem-promotion-discount\tship-promotion-discount\tship-city\tship-state\t" +
	"ship-postal-code\tship-country\tpromotion-ids\tcpf\tis-business-order\tpurchase-order-number\t" +
	"price-designation\tsignature-confirmation-recommended\n"

// allOrders generates an All Orders file of n shipped lines shaped like real ones.
func allOrders(n int) []byte {
	var b bytes.Buffer
	b.WriteString(allOrdersHeader)
	for i := range n {
		fmt.Fprintf(&b, "11%d-%07d-%07d\t\t2026-05-%02dT%02d:36:26+00:00\t2026-05-%02dT23:19:16+00:00\t"+
			"Shipped\tAmazon\tAmazon.com\t\tStandard\tBeyond Meat Beyond Burger Plant-Based Patties 2 pk, 8 oz (Frozen) #%d\t"+
			"2J-D6V7-C8XI\tB074K5MDLW\tShipped\t%d\tUSD\t%d.%02d\t0.%02d\t0.0\t0.0\t\t\t-1.50\t0.0\t"+
			"KERRVILLE\tTX\t78028-6411\tUS\tPLM-%d\t\tfalse\t\t\tfalse\n",
			i%10, i, i*7%10000000, i%28+1, i%24, i%28+1, i, i%3+1, i%200, i%100, i%100, i%50)
	}
	return b.Bytes()
}

func BenchmarkOrderReader(b *testing.B) {
	const rows = 100_000
	data := allOrders(rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for b.Loop() {
		r, err := amazon.NewOrderReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(rows*b.N), "allocs/row")
}
