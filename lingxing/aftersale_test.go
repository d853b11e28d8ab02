package lingxing_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
)

const afterSalePath = "/erp/sc/routing/amzod/order/afterSaleList"

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// afterSaleFixture: shop 1 is US (Los Angeles; PST until 2024-03-10, PDT after).
//
//	113-1 bought 2024-03-01 18:00Z (10:00 PST): A ×2 $40.00, B ×1 $5.00; FBA
//	  refund of A 2024-03-05 20:00Z (12:00 PST): Principal -20.00, ShippingCharge -3.50,
//	    costs Commission 3.00, RefundCommission -0.60 → refund -$23.50, cost $2.40
//	  FBA return of B 2024-03-12 18:00Z (11:00 PDT), LPN, updated 2024-03-13 02:00Z
//	113-2 bought 2024-02-20 12:00Z, FBM: MFN return with RMA and carrier 2024-03-20 16:00Z
//	113-3 bought 2024-01-10 12:00Z: exchange 2024-04-02 10:00Z (outside March)
func afterSaleFixture(t *testing.T, e *env) {
	ctx := context.Background()
	_, err := e.store.UpsertOrders(ctx, []*shopcrm.Order{
		{SID: 1, Number: "113-1", BuyerEmail: "a@x.com", PurchaseTime: at("2024-03-01T18:00:00Z"), Status: "Shipped", Fulfilment: "FBA",
			SalesChannel: "Amazon.com", Currency: "USD", Items: []shopcrm.OrderItem{
				{SKU: "A", ASIN: "B0AAA", Title: "Hair clip", Quantity: 2, Price: 4000}, {SKU: "B", ASIN: "B0BBB", Title: "Comb", Quantity: 1, Price: 500}}},
		{SID: 1, Number: "113-2", BuyerEmail: "b@x.com", PurchaseTime: at("2024-02-20T12:00:00Z"), Status: "Shipped", Fulfilment: "FBM",
			SalesChannel: "Amazon.com", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 2000}}},
		{SID: 1, Number: "113-3", BuyerEmail: "b@x.com", PurchaseTime: at("2024-01-10T12:00:00Z"), Status: "Shipped",
			SalesChannel: "Amazon.com", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 2000}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.UpsertProducts(ctx, []*shopcrm.Product{{SID: 1, MSKU: "A", LocalSKU: "auto010", LocalName: "自动010",
		SmallImageURL: "https://img/a.jpg"}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.store.UpsertAfterSales(ctx, []*shopcrm.AfterSale{
		{ItemIdentifier: "refund:113-1:A", SID: 1, OrderNumber: "113-1", Type: 1, SKU: "A", Quantity: 1, Time: at("2024-03-05T20:00:00Z"),
			Currency: "USD", AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -2000}, {Type: "ShippingCharge", Amount: -350}},
			CostDetails: []shopcrm.MoneyDetail{{Type: "Commission", Amount: 300}, {Type: "RefundCommission", Amount: -60}}},
		{ItemIdentifier: "fbaret:LPN1", SID: 1, OrderNumber: "113-1", Type: 2, SKU: "B", Quantity: 1, Time: at("2024-03-12T18:00:00Z"),
			DataUpdateTime: at("2024-03-13T02:00:00Z"), Reason: "DEFECTIVE", Status: "Unit returned to inventory", LPN: "LPN1",
			InventoryAttributes: "SELLABLE", BuyerNote: "broken"},
		{ItemIdentifier: "mfnret:113-2:A:RMA1", SID: 1, OrderNumber: "113-2", Type: 2, SKU: "A", Quantity: 1, Time: at("2024-03-20T16:00:00Z"),
			Reason: "CR-UNWANTED_ITEM", Status: "Approved", RMA: "RMA1", Carrier: "USPS", Waybill: "9202"},
		{ItemIdentifier: "exchange:113-3:A", SID: 1, OrderNumber: "113-3", Type: 3, SKU: "A", Quantity: 1, Time: at("2024-04-02T10:00:00Z"),
			ExchangeOrderNumber: "113-9"},
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAfterSaleList(t *testing.T) {
	e := newEnv(t)
	afterSaleFixture(t, e)
	c := e.newClient(t)
	ctx := context.Background()
	var recs []map[string]any
	env, err := c.Do(ctx, "POST", afterSalePath, map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01"}, &recs)
	if err != nil {
		t.Fatal(err)
	}
	if env.Total != 2 || len(recs) != 2 || recs[0]["amazon_order_id"] != "113-2" || recs[1]["amazon_order_id"] != "113-1" {
		t.Fatalf("total %d, records %v", env.Total, recs)
	}
	got := recs[1]
	items := got["item_list"].([]any)
	delete(got, "item_list")
	delete(got, "id")
	delete(got, "correlation_id")
	want := map[string]any{
		"amazon_order_id": "113-1", "sid": 1.0, "asin": "B0AAA", "msku": "A", "purchase_time": "2024-03-01 10:00:00",
		"deal_time": "2024-03-12 11:00:00", "gmt_modified": "2024-03-12 19:00:00", "interval_days": 11.0, "is_mcf_order": 1.0,
		"seller_country": "US shop 美国", "delivery_type": "FBA",
		"order_total_amount": "$45.00", "order_total_amount_currency_code": "$", "order_total_amount_number": "45.00",
		"total_refund_amount": "-$23.50", "total_refund_amount_currency_code": "$", "total_refund_amount_number": "-23.50",
		"total_refund_cost": "$2.40", "total_refund_cost_currency_code": "$", "total_refund_cost_number": "2.40",
		"after_type_tag": []any{"退款", "退货"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	refund := items[0].(map[string]any)
	wantRefund := map[string]any{
		"small_image_url": "https://img/a.jpg", "item_name": "Hair clip", "local_sku": "auto010", "local_name": "自动010",
		"asin": "B0AAA", "asin_url": "https://www.amazon.com/dp/B0AAA", "msku": "A", "after_type": "退款", "after_quantity": 1.0,
		"after_reason": "", "after_time": "2024-03-05 12:00:00", "after_interval": "4天", "data_update_time": "2024-03-05 12:00:00",
		"refund_amount": "-$23.50", "refund_currency_icon": "$",
		"refund_amount_details": []any{map[string]any{"type": "Principal", "amount": "-$20.00"}, map[string]any{"type": "ShippingCharge", "amount": "-$3.50"}},
		"refund_cost":           "$2.40",
		"refund_cost_details":   []any{map[string]any{"type": "Commission", "amount": "$3.00"}, map[string]any{"type": "RefundCommission", "amount": "-$0.60"}},
		"return_status":         "", "inventory_attributes": "", "lpn_number": "", "buyers_note": "", "rma_order_number": "",
		"carriers": "", "waybill_number": "", "exchange_order_number": "", "item_identifier": "refund:113-1:A",
		"md5_v2": md5hex("refund:113-1:A"), "md5": refund["md5"], "md5_new": refund["md5_new"], "orderDateYear": 2024.0, "row_index": 1.0,
	}
	if diff := cmp.Diff(wantRefund, refund); diff != "" {
		t.Errorf("refund item (-want +got):\n%s", diff)
	}
	ret := items[1].(map[string]any)
	for k, v := range map[string]any{"after_type": "退货", "lpn_number": "LPN1", "return_status": "Unit returned to inventory",
		"inventory_attributes": "SELLABLE", "buyers_note": "broken", "after_reason": "DEFECTIVE", "after_time": "2024-03-12 11:00:00",
		"after_interval": "11天", "refund_amount": "", "refund_amount_details": []any{}, "refund_cost_details": []any{}, "row_index": 2.0,
		"local_sku": "", "item_name": "Comb"} {
		if diff := cmp.Diff(v, ret[k]); diff != "" {
			t.Errorf("return %s (-want +got):\n%s", k, diff)
		}
	}
	mfn := recs[0]["item_list"].([]any)[0].(map[string]any)
	if mfn["rma_order_number"] != "RMA1" || mfn["carriers"] != "USPS" || mfn["waybill_number"] != "9202" || recs[0]["delivery_type"] != "FBM" {
		t.Errorf("MFN return: %v", mfn)
	}
}

func TestAfterSaleFilters(t *testing.T) {
	e := newEnv(t)
	afterSaleFixture(t, e)
	c := e.newClient(t)
	ctx := context.Background()
	orders := func(body map[string]any) []string {
		t.Helper()
		var recs []struct {
			ID    string `json:"amazon_order_id"`
			Items []struct {
				Type string `json:"after_type"`
			} `json:"item_list"`
		}
		if _, err := c.Do(ctx, "POST", afterSalePath, body, &recs); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range recs {
			var types []string
			for _, it := range r.Items {
				types = append(types, it.Type)
			}
			out = append(out, r.ID+":"+strings.Join(types, "+"))
		}
		return out
	}
	for _, tt := range []struct {
		name string
		body map[string]any
		want []string
	}{
		{"Refunds", map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01", "after_type": "1"}, []string{"113-1:退款"}},
		{"ReturnsAndExchanges", map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "after_type": "2,3"},
			[]string{"113-3:换货", "113-2:退货", "113-1:退货"}},
		{"ByPurchaseDate", map[string]any{"start_date": "2024-02-01", "end_date": "2024-03-01", "date_type": 2}, []string{"113-2:退货"}},
		{"DataTypeAlias", map[string]any{"start_date": "2024-02-01", "end_date": "2024-03-01", "data_type": 2}, []string{"113-2:退货"}},
		{"ByUpdateTime", map[string]any{"start_date": "2024-03-12", "end_date": "2024-03-13", "date_type": 3}, []string{"113-1:退货"}},
		{"LocalDayBoundary", map[string]any{"start_date": "2024-03-12", "end_date": "2024-03-13"}, []string{"113-1:退货"}},
		{"OrderIDs", map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "amazon_order_id_list": []string{"113-3", "113-9"}},
			[]string{"113-3:换货"}},
		{"OtherShop", map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "sid": "2"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, orders(tt.body)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("PagingStable", func(t *testing.T) {
		seen := map[string]int{}
		for off := 0; off < 5; off++ {
			for _, o := range orders(map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "offset": off, "length": 1}) {
				seen[o]++
			}
		}
		if len(seen) != 3 {
			t.Fatalf("pages gave %v", seen)
		}
		for o, n := range seen {
			if n != 1 {
				t.Errorf("%s seen %d times", o, n)
			}
		}
	})
}

func TestAfterSaleErrors(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = "x"
	}
	for _, tt := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"MissingDates", map[string]any{}, []string{"start_date", "end_date"}},
		{"BadFormat", map[string]any{"start_date": "2024/03/01", "end_date": "2024-04-01"}, []string{"start_date"}},
		{"EndBeforeStart", map[string]any{"start_date": "2024-04-01", "end_date": "2024-03-01"}, []string{"end_date"}},
		{"TooManyIDs", map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01", "amazon_order_id_list": ids}, []string{"amazon_order_id_list"}},
		{"LengthOver5000", map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01", "length": 5001}, []string{"length"}},
		{"UnknownAfterType", map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01", "after_type": "1,4"}, []string{"after_type"}},
		{"NegativeOffset", map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01", "offset": -1}, []string{"offset"}},
		{"BadDateType", map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01", "date_type": 4}, []string{"date_type"}},
		{"UnknownShop", map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01", "sid": "1,42"}, []string{"sid"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env, err := c.Raw(context.Background(), "POST", afterSalePath, tt.body)
			if code(env, err) != "102" || string(env.Data) != "null" || env.Total != 0 {
				t.Fatalf("reply %+v", env)
			}
			var fields []string
			for _, d := range env.ErrorDetails {
				f, _, _ := strings.Cut(d, ":")
				fields = append(fields, f)
			}
			if diff := cmp.Diff(tt.fields, fields); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}
