package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// afterSaleListFixture writes, through the import path's store methods:
//
//	shop 1 US (Los Angeles: PST, PDT from 2024-03-10), shop 2 UK (London: BST from 2024-03-31)
//	U1 (1) bought 03-01 18:00Z, lines A $40 and B $5 and a cancelled C $3:
//	   refund of A 03-05 20:00Z (updated 03-06 01:00Z), FBA return of B 03-12 18:00Z (LPN1)
//	U2 (1) bought 02-20 12:00Z: MFN return 03-20 16:00Z, updated 04-02 08:00Z
//	U3 (1) bought 01-10 12:00Z: exchange 04-01 03:00Z (03-31 20:00 PDT: March in the shop)
//	K1 (2) bought 03-30 10:00Z: refund 03-31 23:30Z (04-01 00:30 BST: April in the shop)
//	U9 (1) not imported: refund 03-15 00:00Z
func afterSaleListFixture(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	for _, sh := range []*shopcrm.Shop{{SID: 1, Name: "US-1", Marketplace: "US"}, {SID: 2, Name: "UK-1", Marketplace: "UK"}} {
		if err := s.CreateShop(ctx, sh); err != nil {
			t.Fatal(err)
		}
	}
	// The after-sales come first, as when a settlement report is imported before the orders:
	// the purchase time reaches them when the orders arrive.
	_, err := s.UpsertAfterSales(ctx, []*shopcrm.AfterSale{
		{ItemIdentifier: "r:U1:A", SID: 1, OrderNumber: "U1", Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1,
			Time: utc("2024-03-05T20:00:00Z"), DataUpdateTime: utc("2024-03-06T01:00:00Z"), Currency: "USD",
			AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -2000}, {Type: "ShippingCharge", Amount: -350}},
			CostDetails:   []shopcrm.MoneyDetail{{Type: "Commission", Amount: 300}}},
		{ItemIdentifier: "t:U1:B", SID: 1, OrderNumber: "U1", Type: shopcrm.AfterSaleReturn, SKU: "B", Quantity: 1,
			Time: utc("2024-03-12T18:00:00Z"), LPN: "LPN1", Status: "Unit returned to inventory"},
		{ItemIdentifier: "t:U2:A", SID: 1, OrderNumber: "U2", Type: shopcrm.AfterSaleReturn, SKU: "A", Quantity: 1,
			Time: utc("2024-03-20T16:00:00Z"), DataUpdateTime: utc("2024-04-02T08:00:00Z"), RMA: "RMA1", Carrier: "USPS"},
		{ItemIdentifier: "x:U3:A", SID: 1, OrderNumber: "U3", Type: shopcrm.AfterSaleExchange, SKU: "A", Quantity: 1,
			Time: utc("2024-04-01T03:00:00Z"), ExchangeOrderNumber: "U3-X"},
		{ItemIdentifier: "r:K1:A", SID: 2, OrderNumber: "K1", Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1,
			Time: utc("2024-03-31T23:30:00Z"), Currency: "GBP", AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -999}}},
		{ItemIdentifier: "r:U9:A", SID: 1, OrderNumber: "U9", Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1,
			Time: utc("2024-03-15T00:00:00Z"), Currency: "USD", AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -100}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.UpsertOrders(ctx, []*shopcrm.Order{
		{SID: 1, Number: "U1", BuyerEmail: "a@x.com", PurchaseTime: utc("2024-03-01T18:00:00Z"), Status: "Shipped", Fulfilment: "FBA",
			SalesChannel: "Amazon.com", Currency: "USD", Items: []shopcrm.OrderItem{
				{SKU: "A", ASIN: "B0A", Title: "Clip", Quantity: 2, Price: 4000}, {SKU: "B", ASIN: "B0B", Title: "Comb", Quantity: 1, Price: 500},
				{SKU: "C", Quantity: 1, Price: 300, Status: "Cancelled"}}},
		{SID: 1, Number: "U2", BuyerEmail: "b@x.com", PurchaseTime: utc("2024-02-20T12:00:00Z"), Status: "Shipped", Fulfilment: "FBM",
			SalesChannel: "Amazon.com", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 2000}}},
		{SID: 1, Number: "U3", BuyerEmail: "b@x.com", PurchaseTime: utc("2024-01-10T12:00:00Z"), Status: "Shipped", Fulfilment: "FBA",
			SalesChannel: "Non-Amazon", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 2000}}},
		{SID: 2, Number: "K1", BuyerEmail: "k@x.com", PurchaseTime: utc("2024-03-30T10:00:00Z"), Status: "Shipped", Fulfilment: "FBA",
			SalesChannel: "Amazon.co.uk", Currency: "GBP", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 999}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertProducts(ctx, []*shopcrm.Product{{SID: 1, MSKU: "A", LocalSKU: "L-A", LocalName: "本地A", SmallImageURL: "https://img/a.jpg"}}); err != nil {
		t.Fatal(err)
	}
}

// describe prints records as "order:type+type" in list order.
func describe(recs []*shopcrm.AfterSaleOrder) []string {
	var out []string
	for _, r := range recs {
		var types []string
		for _, it := range r.Items {
			types = append(types, shopcrm.AfterSaleTypeNames[it.Type])
		}
		out = append(out, r.Items[0].OrderNumber+":"+strings.Join(types, "+"))
	}
	return out
}

func TestFindAfterSaleOrders(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		afterSaleListFixture(t, s)
		ctx := context.Background()
		march := shopcrm.AfterSaleFilter{Start: day("2024-03-01"), End: day("2024-04-01"), DateType: shopcrm.AfterSaleByTime, Limit: 100}
		find := func(t *testing.T, f shopcrm.AfterSaleFilter) ([]*shopcrm.AfterSaleOrder, int) {
			t.Helper()
			recs, n, err := s.FindAfterSaleOrders(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return recs, n
		}
		with := func(change func(f *shopcrm.AfterSaleFilter)) shopcrm.AfterSaleFilter {
			f := march
			change(&f)
			return f
		}
		for _, tt := range []struct {
			name string
			f    shopcrm.AfterSaleFilter
			want []string
		}{
			// U3's exchange is 03-31 20:00 in Los Angeles; K1's refund 04-01 00:30 in London.
			{"ByTime", march, []string{"U3:换货", "U2:退货", "U9:退款", "U1:退款+退货"}},
			{"ByTimeApril", with(func(f *shopcrm.AfterSaleFilter) { f.Start, f.End = day("2024-04-01"), day("2024-05-01") }), []string{"K1:退款"}},
			{"OneShop", with(func(f *shopcrm.AfterSaleFilter) { f.SIDs = []int64{2}; f.End = day("2024-05-01") }), []string{"K1:退款"}},
			{"Refunds", with(func(f *shopcrm.AfterSaleFilter) { f.Types = []int{shopcrm.AfterSaleRefund} }), []string{"U9:退款", "U1:退款"}},
			{"ReturnsAndExchanges", with(func(f *shopcrm.AfterSaleFilter) { f.Types = []int{2, 3} }), []string{"U3:换货", "U2:退货", "U1:退货"}},
			// By purchase: U1 and K1 were bought in March; the unknown order U9 has no purchase time.
			{"ByPurchase", with(func(f *shopcrm.AfterSaleFilter) { f.DateType = shopcrm.AfterSaleByPurchase }), []string{"K1:退款", "U1:退款+退货"}},
			// By update time: U1's refund was updated 03-05 17:00 PST, U2's return in April.
			{"ByUpdate", with(func(f *shopcrm.AfterSaleFilter) { f.DateType = shopcrm.AfterSaleByDataUpdate }), []string{"U3:换货", "U9:退款", "U1:退款+退货"}},
			{"UpdateDay", with(func(f *shopcrm.AfterSaleFilter) {
				f.DateType, f.Start, f.End = shopcrm.AfterSaleByDataUpdate, day("2024-03-05"), day("2024-03-06")
			}), []string{"U1:退款"}},
			{"OrderNumbers", with(func(f *shopcrm.AfterSaleFilter) { f.OrderNumbers = []string{"U2", "U9", "K1", "nope"} }), []string{"U2:退货", "U9:退款"}},
			{"OrderNumbersAndType", with(func(f *shopcrm.AfterSaleFilter) { f.OrderNumbers, f.Types = []string{"U1"}, []int{2} }), []string{"U1:退货"}},
			{"OpenBounds", shopcrm.AfterSaleFilter{DateType: shopcrm.AfterSaleByTime, Limit: 100},
				[]string{"U3:换货", "K1:退款", "U2:退货", "U9:退款", "U1:退款+退货"}},
			{"UnknownShop", with(func(f *shopcrm.AfterSaleFilter) { f.SIDs = []int64{42} }), nil},
			{"EmptyRange", with(func(f *shopcrm.AfterSaleFilter) { f.End = f.Start }), nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				recs, n := find(t, tt.f)
				if diff := cmp.Diff(tt.want, describe(recs)); diff != "" || n != len(tt.want) {
					t.Errorf("total %d; records (-want +got):\n%s", n, diff)
				}
			})
		}
		t.Run("Record", func(t *testing.T) {
			recs, _ := find(t, with(func(f *shopcrm.AfterSaleFilter) { f.OrderNumbers = []string{"U1"} }))
			r := recs[0]
			if r.Order == nil || r.Order.Number != "U1" || r.Order.Fulfilment != "FBA" || r.Shop.SID != 1 || r.OrderTotal != 4500 ||
				!r.SortTime.Equal(utc("2024-03-12T18:00:00Z")) || r.ID != r.Items[0].ID || r.Items[0].ID > r.Items[1].ID {
				t.Fatalf("record %+v", r)
			}
			refund, ret := r.Items[0], r.Items[1]
			if refund.ItemIdentifier != "r:U1:A" || refund.Title != "Clip" || refund.ASIN != "B0A" || refund.RowIndex != 1 ||
				refund.Product == nil || refund.Product.LocalSKU != "L-A" || refund.Product.SmallImageURL != "https://img/a.jpg" ||
				refund.RefundAmount() != -2350 || refund.RefundCost() != 300 || !refund.DataUpdateTime.Equal(utc("2024-03-06T01:00:00Z")) {
				t.Errorf("refund %+v", refund)
			}
			if ret.LPN != "LPN1" || ret.Title != "Comb" || ret.Product != nil || ret.RowIndex != 2 || len(ret.AmountDetails) != 0 {
				t.Errorf("return %+v", ret)
			}
			orphan, _ := find(t, with(func(f *shopcrm.AfterSaleFilter) { f.OrderNumbers = []string{"U9"} }))
			if o := orphan[0]; o.Order != nil || o.OrderTotal != 0 || o.Items[0].Title != "" || o.Items[0].Product == nil {
				t.Errorf("unknown order %+v", o)
			}
		})
		t.Run("TotalOnly", func(t *testing.T) {
			recs, n := find(t, with(func(f *shopcrm.AfterSaleFilter) { f.Limit = 0 }))
			if n != 4 || len(recs) != 0 {
				t.Errorf("total %d, %d records", n, len(recs))
			}
		})
		t.Run("PurchaseTimeFollowsOrders", func(t *testing.T) {
			// Moving U2's purchase into March brings it into the purchase-time list.
			_, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: 1, Number: "U2", BuyerEmail: "b@x.com", PurchaseTime: utc("2024-03-02T12:00:00Z"),
				Status: "Shipped", Fulfilment: "FBM", SalesChannel: "Amazon.com", Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 2000}}}})
			if err != nil {
				t.Fatal(err)
			}
			recs, _ := find(t, with(func(f *shopcrm.AfterSaleFilter) { f.DateType = shopcrm.AfterSaleByPurchase }))
			if diff := cmp.Diff([]string{"K1:退款", "U2:退货", "U1:退款+退货"}, describe(recs)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	})
}

// TestFindAfterSaleOrdersPaging walks every page of a list with many equal times and
// checks that each record comes exactly once, in order, with the exact total.
func TestFindAfterSaleOrdersPaging(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		for _, sh := range []*shopcrm.Shop{{SID: 1, Name: "US-1", Marketplace: "US"}, {SID: 2, Name: "JP-1", Marketplace: "JP"}} {
			if err := s.CreateShop(ctx, sh); err != nil {
				t.Fatal(err)
			}
		}
		base := utc("2024-05-10T00:00:00Z")
		var items []*shopcrm.AfterSale
		var orders []*shopcrm.Order
		for i := range 60 {
			sid := int64(1 + i%2)
			number := fmt.Sprintf("P%02d", i)
			orders = append(orders, &shopcrm.Order{SID: sid, Number: number, BuyerEmail: fmt.Sprintf("p%d@x.com", i%7),
				PurchaseTime: base.Add(-time.Duration(i%5) * 24 * time.Hour), Status: "Shipped", Currency: "USD"})
			// Every record has one of four times, so most sort keys tie on time.
			for k := range 1 + i%3 {
				items = append(items, &shopcrm.AfterSale{ItemIdentifier: fmt.Sprintf("%s:%d", number, k), SID: sid, OrderNumber: number,
					Type: 1 + k, Quantity: 1, Time: base.Add(time.Duration((i+k)%4) * time.Hour)})
			}
		}
		if _, err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
		if _, err := s.UpsertAfterSales(ctx, items); err != nil {
			t.Fatal(err)
		}
		for _, dateType := range []int{shopcrm.AfterSaleByTime, shopcrm.AfterSaleByPurchase, shopcrm.AfterSaleByDataUpdate} {
			t.Run(fmt.Sprint("DateType", dateType), func(t *testing.T) {
				f := shopcrm.AfterSaleFilter{Start: day("2024-05-01"), End: day("2024-05-12"), DateType: dateType, Limit: 7}
				seen := map[string]bool{}
				var last *shopcrm.AfterSaleOrder
				for f.Offset = 0; f.Offset < 70; f.Offset += f.Limit {
					recs, n, err := s.FindAfterSaleOrders(ctx, f)
					if err != nil {
						t.Fatal(err)
					}
					if n != 60 || len(recs) != min(7, max(0, 60-f.Offset)) {
						t.Fatalf("offset %d: total %d, %d records", f.Offset, n, len(recs))
					}
					for _, r := range recs {
						key := r.Order.Number
						if seen[key] {
							t.Fatalf("%s twice", key)
						}
						seen[key] = true
						if last != nil && (r.SortTime.After(last.SortTime) || r.SortTime.Equal(last.SortTime) && r.ID <= last.ID) {
							t.Fatalf("%s (%s, %d) after %s (%s, %d)", key, r.SortTime, r.ID, last.Order.Number, last.SortTime, last.ID)
						}
						last = r
					}
				}
				if len(seen) != 60 {
					t.Errorf("%d records seen", len(seen))
				}
			})
		}
		t.Run("RecordTime", func(t *testing.T) {
			recs, _, err := s.FindAfterSaleOrders(ctx, shopcrm.AfterSaleFilter{Start: day("2024-05-01"), End: day("2024-05-12"),
				DateType: shopcrm.AfterSaleByTime, OrderNumbers: []string{"P05"}, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			// P05 has items at hours 1, 2 and 3: the record sorts by the latest.
			if len(recs) != 1 || len(recs[0].Items) != 3 || !recs[0].SortTime.Equal(base.Add(3*time.Hour)) ||
				!slices.IsSortedFunc(recs[0].Items, func(a, b *shopcrm.AfterSaleItem) int { return int(a.ID - b.ID) }) {
				t.Errorf("records %+v", recs)
			}
		})
	})
}
