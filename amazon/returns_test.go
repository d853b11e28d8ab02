package amazon_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/amazon"
)

// fba-returns.tsv names the order column amazon-order-id, as the help page does.
func TestFBAReturnReader(t *testing.T) {
	want := []any{
		amazon.FBAReturn{
			Line: 2, ReturnDate: utc("2025-06-05T15:31:40Z"), OrderID: "114-2962899-5762619",
			SKU: "LVA1004-UPC", ASIN: "B00TZ73MUY", FNSKU: "B00TZ73MUY",
			ProductName: "Vive Alternating Air Pressure Mattress Pad", Quantity: 1, FulfillmentCenterID: "LEX1",
			DetailedDisposition: "CUSTOMER_DAMAGED", Reason: "NOT_COMPATIBLE", Status: "IMMEDIATE_DONATION",
			LPN: "LPNNC5N165ZVR",
		},
		amazon.FBAReturn{
			Line: 3, ReturnDate: utc("2025-06-06T01:02:03.5Z"), OrderID: "114-0000000-0000007",
			SKU: "SKU-9", ASIN: "B000000009", FNSKU: "X000000009", ProductName: "Lamp", Quantity: 2,
			FulfillmentCenterID: "ONT8", DetailedDisposition: "SELLABLE", Reason: "DEFECTIVE",
			Status: "Unit returned to inventory", LPN: "LPNAAAAAAAAAA", CustomerComments: "Not Compatible|Wifi",
		},
		rowErr(4, "quantity", `invalid integer "1.5"`),
		// UI-style DD-MM-YYYY date, short row.
		amazon.FBAReturn{Line: 5, ReturnDate: utc("2025-06-07T00:00:00Z"), OrderID: "114-0000000-0000009",
			SKU: "SKU-9", Quantity: 1},
	}
	r, err := amazon.NewFBAReturnReader(open(t, "fba-returns.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, readAll(t, r.Next)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestMFNReturnReader(t *testing.T) {
	tests := []struct {
		file string
		want []any
	}{
		// The real API row (27 of 32 fields, " " for empty) and a complete one.
		{"mfn-returns.tsv", []any{
			amazon.MFNReturn{
				Line: 2, OrderID: "113-6277818-6289068", OrderDate: utc("2025-07-10T00:00:00Z"),
				ReturnRequestDate: utc("2025-07-14T00:00:00Z"), ReturnRequestStatus: "Approved",
				AmazonRMAID: "DfqRyqfBRRMA", LabelType: "AmazonPrePaidLabel", LabelCost: 414, Currency: "USD",
				ReturnCarrier: "USPS", TrackingID: "9202090339598363834190", LabelPaidBy: "Seller",
				ASIN: "B0DFN2HN9N", MerchantSKU: "PANEC-925SS-IT",
				ItemName:       "Privosa Fine Jewelry Necklace for Women - 925 Sterling Silver Necklace for Men - Unisex 16 to 18 Inch Adjustable Chain - Italian Made with Spring Ring",
				ReturnQuantity: 2, ReturnReason: "AMZ-PG-WJ-TOO-SMALL", InPolicy: true, ReturnType: "C-Returns",
				Resolution: "StandardRefund", OrderAmount: 2138, OrderQuantity: 2,
			},
			amazon.MFNReturn{
				Line: 3, OrderID: "113-0000000-0000010", OrderDate: utc("2025-08-01T00:00:00Z"),
				ReturnRequestDate: utc("2025-08-05T00:00:00Z"), ReturnRequestStatus: "Completed",
				AmazonRMAID: "DabcdefgRRMA", MerchantRMAID: "RMA-77", LabelType: "AmazonUnPaidLabel",
				Currency: "USD", ReturnCarrier: "UPS", TrackingID: "1Z999", LabelPaidBy: "Customer",
				AToZClaim: true, IsPrime: true, ASIN: "B0000000AA", MerchantSKU: "SKU-A", ItemName: "Kettle",
				ReturnQuantity: 1, ReturnReason: "CR-DEFECTIVE", ReturnType: "C-Returns",
				Resolution: "ReturnlessRefund", InvoiceNumber: "INV-1",
				ReturnDeliveryDate: utc("2025-08-12T00:00:00Z"), OrderAmount: 5990, OrderQuantity: 1,
				RefundedAmount: 5990, HasRefundedAmount: true,
			},
			rowErr(4, "a-to-z-claim", `invalid boolean "maybe"`),
		}},
		// Seller Central UI export: Seller RMA ID, A-to-z claim, Category, Order Item ID.
		{"mfn-returns-ui.tsv", []any{
			amazon.MFNReturn{
				Line: 2, OrderID: "408-9386448-4007569", OrderDate: utc("2020-11-03T00:00:00Z"),
				ReturnRequestDate: utc("2020-11-12T00:00:00Z"), ReturnRequestStatus: "Approved",
				AmazonRMAID: "DJ1XPkq5RRMA", MerchantRMAID: "SRMA-1", LabelType: "AmazonUnPaidLabel",
				Currency: "INR", ReturnCarrier: "AMZAE", LabelPaidBy: "Customer", ASIN: "B07Y3YBD8J",
				MerchantSKU: "1050s200003-XL", ItemName: "Shirt", ReturnQuantity: 1,
				ReturnReason: "Item defective or doesn't work", InPolicy: true, ReturnType: "C-Returns",
				Resolution: "StandardRefund", ReturnDeliveryDate: utc("2020-11-20T00:00:00Z"),
				OrderAmount: 129900, OrderQuantity: 1, RefundedAmount: 129900, HasRefundedAmount: true,
				OrderItemID: "12345678901234",
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := amazon.NewMFNReturnReader(open(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readAll(t, r.Next)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}
