package amazon_test

import (
	"fmt"
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

// Old order reports quote a product name that holds line breaks, and the row goes on on the
// following lines. A quote that does not close at the end of a field within a few lines is
// literal, and the lines read ahead for it are rows of their own.
func TestShipmentReaderMultiLineQuotes(t *testing.T) {
	row := func(id, name string) string {
		return id + "\t2022-07-18T18:52:47+00:00\tb@x.com\tSKU-1\t" + name + "\t1\tUSD\t19.49"
	}
	in := "amazon-order-id\tpurchase-date\tbuyer-email\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\t\n" +
		row("111-0000000-0000001", "\"The Structure of Aikido: \r\nVolume 1\r\n(Vol 1)\"") + "\t\t\t\t\r\n" + // lines 2–4
		row("111-0000000-0000002", "\"Deluxe mug") + "\n" + // 5: never closed
		row("111-0000000-0000003", "12\" ruler") + "\n" + // 6: its quote would close line 5's mid-field
		row("111-0000000-0000004", "\"Mug\tred\n\nblue \"\"B\"\"\"") + "\n" + // 7–9: a tab and a blank line inside
		row("111-0000000-0000005", "\"Last") + "\n" // 10: still open at the end of the file
	r, err := amazon.NewShipmentReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	ship := func(line int, id, name string) amazon.Shipment {
		return amazon.Shipment{Line: line, OrderID: id, PurchaseDate: utc("2022-07-18T18:52:47Z"),
			BuyerEmail: "b@x.com", SKU: "SKU-1", ProductName: name, Quantity: 1, Currency: "USD", ItemPrice: 1949}
	}
	want := []any{
		ship(2, "111-0000000-0000001", "The Structure of Aikido: \nVolume 1\n(Vol 1)"),
		ship(5, "111-0000000-0000002", `"Deluxe mug`),
		ship(6, "111-0000000-0000003", `12" ruler`),
		ship(7, "111-0000000-0000004", "Mug\tred\n\nblue \"B\""),
		ship(10, "111-0000000-0000005", `"Last`),
	}
	if diff := cmp.Diff(want, readAll(t, r.Next)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// A quote left open for more lines than any wrapped product name takes is literal.
func TestShipmentReaderUnclosedQuote(t *testing.T) {
	in := "amazon-order-id\tpurchase-date\tbuyer-email\tsku\tproduct-name\tquantity-shipped\n"
	var want []any
	for i := range 10 {
		name := "Mug"
		if i == 0 {
			name = `"Deluxe mug`
		}
		id := fmt.Sprintf("111-0000000-%07d", i)
		in += id + "\t2022-07-18T18:52:47+00:00\tb@x.com\tSKU-1\t" + name + "\t1\n"
		want = append(want, amazon.Shipment{Line: i + 2, OrderID: id, PurchaseDate: utc("2022-07-18T18:52:47Z"),
			BuyerEmail: "b@x.com", SKU: "SKU-1", ProductName: name, Quantity: 1})
	}
	r, err := amazon.NewShipmentReader(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, readAll(t, r.Next)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}
