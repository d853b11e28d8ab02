package amazon_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/amazon"
)

// shipments.tsv has a BOM, CRLF line ends, a blank line 3, a Windows-1252 line 4 and a bad
// amount on line 5; shipments.tsv.gz is the same bytes gzipped.
var wantShipments = []any{
	amazon.Shipment{
		Line: 2, OrderID: "111-1234567-1234567", MerchantOrderID: "M-1", ShipmentID: "DzYwxcNf9",
		ShipmentItemID: "DQBXfkkMJ", OrderItemID: "12345678901234",
		PurchaseDate: utc("2022-07-18T18:52:47Z"), PaymentsDate: utc("2022-07-18T19:00:00Z"),
		ShipmentDate: utc("2022-07-19T15:15:00Z"),
		BuyerEmail:   "abc123@marketplace.amazon.com", BuyerName: "John Smith", BuyerPhone: "+1 555-0100",
		SKU: "SKU-1", ProductName: `Widget "Pro" 2 pk`, Quantity: 2, Currency: "USD",
		ItemPrice: 3998, ItemTax: 320, ShippingPrice: 499, ShippingTax: 40,
		ItemPromotionDiscount: -500, ShipPromotionDiscount: -499,
		RecipientName: "John Smith", ShipCity: "SEATTLE", ShipState: "WA", ShipPostalCode: "98101-1234",
		ShipCountry: "US", Carrier: "AMZN_US", TrackingNumber: "TBA123456789000",
		FulfillmentChannel: "AFN", SalesChannel: "Amazon.com",
	},
	amazon.Shipment{
		Line: 4, OrderID: "302-7654321-7654321", PurchaseDate: utc("2022-07-20T10:00:00Z"),
		BuyerEmail: "xyz@marketplace.amazon.fr", BuyerName: "Renée Dupré", SKU: "SKU-2",
		ProductName: "Théière", Quantity: 1, Currency: "EUR", ItemPrice: 2590, ShipCity: "Orléans",
		ShipCountry: "FR", FulfillmentChannel: "AFN", SalesChannel: "Amazon.fr",
	},
	rowErr(5, "item-price", `invalid amount "abc"`),
	amazon.Shipment{
		Line: 6, OrderID: "111-0000000-0000002", PurchaseDate: utc("2022-07-22T10:00:00Z"),
		SKU: "SKU-4", Quantity: 3, Currency: "USD", SalesChannel: "Non-Amazon",
	},
}

func TestShipmentReader(t *testing.T) {
	for _, file := range []string{"shipments.tsv", "shipments.tsv.gz"} {
		t.Run(file, func(t *testing.T) {
			r, err := amazon.NewShipmentReader(open(t, file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantShipments, readAll(t, r.Next)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestShipmentReaderHeader(t *testing.T) {
	tests := []struct {
		name, header, wantErr string
	}{
		{"OK", "amazon-order-id\tpurchase-date\tbuyer-email\tsku\tquantity-shipped", ""},
		{"OKAliases", "Order ID\tPurchase Date\tBuyer Email\tSeller SKU\tQuantity_Shipped", ""},
		{"ErrBuyerEmail", "amazon-order-id\tpurchase-date\tsku\tquantity-shipped", "buyer-email"},
		{"ErrTwo", "amazon-order-id\tbuyer-email\tsku", "purchase-date, quantity-shipped"},
		{"ErrEmpty", "", "no header"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := amazon.NewShipmentReader(strings.NewReader(tt.header + "\n"))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatal(err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want one naming %q", err, tt.wantErr)
			}
		})
	}
}

// A report saved again from a spreadsheet comes back with fields wrapped in quotes, inner
// quotes doubled. Those are unquoted; a quote that does not wrap a field this way stays, as
// in Amazon's own product names.
func TestShipmentReaderSpreadsheetQuotes(t *testing.T) {
	in := "\"amazon-order-id\"\tpurchase-date\tbuyer-email\tbuyer-name\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\n" +
		"\"111-0000000-0000001\"\t2022-07-18T18:52:47+00:00\t\"a@x.com\"\t\"Smith, John\"\t\"SKU \"\"A\"\"\"\t\"Mug \"Pro\" 2\"\t1\tUSD\t\"1,000.00\"\n" +
		"111-0000000-0000002\t2022-07-18T18:52:47+00:00\tb@x.com\t\"\"\tSKU-B\t\"Quoted\" Mug\t1\tUSD\t5.00\n"
	r, err := amazon.NewShipmentReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{
		amazon.Shipment{Line: 2, OrderID: "111-0000000-0000001", PurchaseDate: utc("2022-07-18T18:52:47Z"),
			BuyerEmail: "a@x.com", BuyerName: "Smith, John", SKU: `SKU "A"`, ProductName: `"Mug "Pro" 2"`,
			Quantity: 1, Currency: "USD", ItemPrice: 100000},
		amazon.Shipment{Line: 3, OrderID: "111-0000000-0000002", PurchaseDate: utc("2022-07-18T18:52:47Z"),
			BuyerEmail: "b@x.com", SKU: "SKU-B", ProductName: `"Quoted" Mug`, Quantity: 1, Currency: "USD", ItemPrice: 500},
	}
	if diff := cmp.Diff(want, readAll(t, r.Next)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
