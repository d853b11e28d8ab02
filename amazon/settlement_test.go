package amazon_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/amazon"
)

func TestSettlementReader(t *testing.T) {
	r, err := amazon.NewSettlementReader(open(t, "settlement.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, r.Next)
	want := []any{
		amazon.SettlementRow{
			Line: 2, SettlementID: "11737656731", SettlementStartDate: utc("2021-02-23T10:58:14Z"),
			SettlementEndDate: utc("2021-03-09T10:58:14Z"), DepositDate: utc("2021-03-11T10:58:14Z"),
			TotalAmount: 715031, Currency: "USD", IsSummary: true,
		},
		amazon.SettlementRow{
			Line: 3, SettlementID: "11737656731", TransactionType: "Order", OrderID: "111-1", ShipmentID: "S1",
			MarketplaceName: "Amazon.com", AmountType: "ItemPrice", AmountDescription: "Principal",
			Amount: 1999, FulfillmentID: "AFN", PostedDate: utc("2021-03-01T00:00:00Z"),
			OrderItemCode: "55555", SKU: "A", QuantityPurchased: 1,
		},
		amazon.SettlementRow{
			Line: 4, SettlementID: "11737656731", TransactionType: "Refund", OrderID: "114-1203720-5521815",
			MerchantOrderID: "114-1203720-5521815", AdjustmentID: "amzn1.adj.1", MarketplaceName: "Amazon.com",
			AmountType: "ItemPrice", AmountDescription: "Principal", Amount: -8979, FulfillmentID: "AFN",
			PostedDate: utc("2021-03-05T09:51:57Z"), MerchantAdjustmentItemID: "33790084000226",
			SKU: "AT-AL0A4PE8-210-11", QuantityPurchased: 1,
		},
	}
	if diff := cmp.Diff(want, got[:3]); diff != "" {
		t.Errorf("first rows (-want +got):\n%s", diff)
	}
	// Every line after the header is one item; lines 7 and 15 are errors.
	for i, item := range got {
		line := i + 2
		switch v := item.(type) {
		case *amazon.RowError:
			if line != 7 && line != 15 {
				t.Errorf("unexpected %v", v)
			}
		case amazon.SettlementRow:
			if v.Line != line {
				t.Errorf("item %d: line %d, want %d", i, v.Line, line)
			}
		}
	}
	if n := len(got); n != 14 {
		t.Errorf("%d items, want 14", n)
	}
	if diff := cmp.Diff(rowErr(15, "amount", `invalid amount "oops"`), got[13]); diff != "" {
		t.Errorf("last item (-want +got):\n%s", diff)
	}
}

// settlement-de.tsv: 23 columns, dd.mm.yyyy dates, comma decimals.
func TestSettlementReaderDE(t *testing.T) {
	r, err := amazon.NewSettlementReader(open(t, "settlement-de.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, r.Next)
	want := amazon.SettlementRow{
		Line: 2, SettlementID: "18906543210", SettlementStartDate: utc("2021-03-05T09:51:57Z"),
		SettlementEndDate: utc("2021-03-19T09:51:57Z"), DepositDate: utc("2021-03-21T09:51:57Z"),
		TotalAmount: 123456, Currency: "EUR", IsSummary: true,
	}
	if len(got) != 3 {
		t.Fatalf("%d items, want 3", len(got))
	}
	if diff := cmp.Diff(want, got[0]); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	if row := got[1].(amazon.SettlementRow); row.Amount != -1999 || !row.PostedDate.Equal(utc("2021-03-06T00:00:00Z")) {
		t.Errorf("refund row: amount %v posted %v", row.Amount, row.PostedDate)
	}
}

func TestRefundReader(t *testing.T) {
	tests := []struct {
		file string
		want []any
	}{
		{"settlement.tsv", []any{
			amazon.Refund{
				Line: 4, SettlementID: "11737656731", OrderID: "114-1203720-5521815",
				MerchantOrderID: "114-1203720-5521815", AdjustmentID: "amzn1.adj.1",
				MerchantAdjustmentItemID: "33790084000226", SKU: "AT-AL0A4PE8-210-11", Quantity: 1,
				PostedDate: utc("2021-03-05T09:51:57Z"), Currency: "USD", MarketplaceName: "Amazon.com",
				FulfillmentID: "AFN",
				AmountDetails: []amazon.Detail{{"Principal", -8979}, {"Tax", 0}, {"ShippingCharge", -599},
					{"PromotionPrincipal", 200}, {"MarketplaceFacilitatorTax-Principal", 0}},
				CostDetails: []amazon.Detail{{"Commission", 1347}, {"RefundCommission", -269}},
			},
			// The bad row inside the first group comes after that group.
			rowErr(7, "amount", `invalid amount "not-money"`),
			// Keyed by adjustment-id + sku; transaction-type in lower case.
			amazon.Refund{
				Line: 12, SettlementID: "11737656731", OrderID: "114-1203720-5521815", AdjustmentID: "amzn1.adj.2",
				SKU: "B-SKU", Quantity: 2, PostedDate: utc("2021-03-06T00:00:00Z"), Currency: "USD",
				MarketplaceName: "Amazon.com", FulfillmentID: "MFN",
				AmountDetails: []amazon.Detail{{"Principal", -1000}},
				CostDetails:   []amazon.Detail{{"Commission", 150}},
			},
		}},
		{"settlement-de.tsv", []any{
			amazon.Refund{
				Line: 3, SettlementID: "18906543210", OrderID: "302-9876543-2109876", AdjustmentID: "ADJ-9",
				MerchantAdjustmentItemID: "MAI-9", SKU: "GADGET-002", Quantity: 1,
				PostedDate: utc("2021-03-06T00:00:00Z"), Currency: "EUR", MarketplaceName: "Amazon.de",
				FulfillmentID: "AFN",
				AmountDetails: []amazon.Detail{{"Principal", -1999}},
				CostDetails:   []amazon.Detail{{"Commission", 299}},
			},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := amazon.NewRefundReader(open(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, readAll(t, r.Next)); diff != "" {
				t.Errorf("refunds (-want +got):\n%s", diff)
			}
		})
	}
}

// Two groups with the same key separated by another row are two refunds: only
// consecutive rows are grouped. A group split by nothing is one refund, however long.
func TestRefundReaderGrouping(t *testing.T) {
	const h = "settlement-id\ttransaction-type\torder-id\tmerchant-adjustment-item-id\tsku\tamount-type\tamount-description\tamount\tposted-date\n"
	file := h +
		"1\tRefund\tO1\tI1\tS\tItemPrice\tPrincipal\t-1\t2024-01-01\n" +
		"1\tRefund\tO1\tI1\tS\tItemPrice\tTax\t-2\t2024-01-01\n" +
		"1\tRefund\tO1\tI2\tS\tItemPrice\tPrincipal\t-3\t2024-01-01\n" +
		"1\tOrder\tO9\t\tS\tItemPrice\tPrincipal\t9\t2024-01-01\n" +
		"1\tRefund\tO1\tI2\tS\tItemPrice\tPrincipal\t-4\t2024-01-02\n"
	r, err := amazon.NewRefundReader(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]any
	for _, item := range readAll(t, r.Next) {
		ref := item.(amazon.Refund)
		got = append(got, [2]any{ref.Line, len(ref.AmountDetails)})
	}
	want := [][2]any{{2, 2}, {4, 1}, {6, 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(line, details) (-want +got):\n%s", diff)
	}
}

func TestSettlementReaderHeader(t *testing.T) {
	_, err := amazon.NewSettlementReader(strings.NewReader("settlement-id\ttransaction-type\tamount-type\tamount-description\tamount\n"))
	if err == nil || !strings.Contains(err.Error(), "posted-date") {
		t.Fatalf("err = %v, want one naming posted-date", err)
	}
}
