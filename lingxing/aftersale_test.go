package lingxing_test

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing"
	"github.com/shopcrm/shopcrm/lingxing/client"
	"github.com/shopcrm/shopcrm/storetest"
)

const afterSalePath = "/erp/sc/routing/amzod/order/afterSaleList"

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// afterSaleFixture writes through the store methods the importers use. Shop 1 is US (Los
// Angeles: PST, PDT from 2024-03-10), shop 2 UK (London: BST from 2024-03-31).
//
//	113-1 (1) bought 03-01 18:00Z (10:00 PST), FBA: Hair clip A ×2 $40, Comb B $5, C $3 cancelled
//	  refund of A 03-05 20:00Z, updated 03-06 01:00Z: four amount and three cost details
//	  FBA return of B 03-12 18:00Z (11:00 PDT) with LPN, updated 03-13 02:00Z
//	113-2 (1) bought 02-20 12:00Z, FBM: MFN return with RMA, carrier and waybill 03-20 16:00Z
//	113-3 (1) bought 01-10 12:00Z, multi-channel: exchange 04-02 10:00Z
//	202-1 (2) bought 03-30 10:00Z: refund 03-31 23:30Z, which is 04-01 00:30 in London
//	113-404 (1) not imported: refund 03-15 00:00Z
func afterSaleFixture(t *testing.T, e *env) {
	t.Helper()
	ctx := context.Background()
	_, err := e.store.UpsertOrders(ctx, []*shopcrm.Order{
		{SID: 1, Number: "113-1", BuyerEmail: "a@x.com", PurchaseTime: at("2024-03-01T18:00:00Z"), Status: "Shipped", Fulfilment: "FBA",
			SalesChannel: "Amazon.com", Currency: "USD", Items: []shopcrm.OrderItem{
				{SKU: "A", ASIN: "B0AAA", Title: "Hair clip", Quantity: 2, Price: 4000},
				{SKU: "B", ASIN: "B0BBB", Title: "Comb", Quantity: 1, Price: 500},
				{SKU: "C", ASIN: "B0CCC", Title: "Band", Quantity: 1, Price: 300, Status: "Cancelled"}}},
		{SID: 1, Number: "113-2", BuyerEmail: "b@x.com", PurchaseTime: at("2024-02-20T12:00:00Z"), Status: "Shipped", Fulfilment: "FBM",
			SalesChannel: "Amazon.com", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", ASIN: "B0AAA", Title: "Hair clip", Quantity: 1, Price: 2000}}},
		{SID: 1, Number: "113-3", BuyerEmail: "c@x.com", PurchaseTime: at("2024-01-10T12:00:00Z"), Status: "Shipped", Fulfilment: "FBA",
			SalesChannel: "Non-Amazon", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", ASIN: "B0AAA", Title: "Hair clip", Quantity: 1, Price: 2000}}},
		{SID: 2, Number: "202-1", BuyerEmail: "k@x.com", PurchaseTime: at("2024-03-30T10:00:00Z"), Status: "Shipped", Fulfilment: "FBA",
			SalesChannel: "Amazon.co.uk", Currency: "GBP", Items: []shopcrm.OrderItem{{SKU: "U", ASIN: "B0UK1", Title: "Brolly", Quantity: 1, Price: 999}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.UpsertProducts(ctx, []*shopcrm.Product{{SID: 1, MSKU: "A", LocalSKU: "auto010", LocalName: "自动010",
		SmallImageURL: "https://img/a.jpg"}}); err != nil {
		t.Fatal(err)
	}
	_, err = e.store.UpsertAfterSales(ctx, []*shopcrm.AfterSale{
		{ItemIdentifier: "refund:113-1:A", SID: 1, OrderNumber: "113-1", Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1,
			Time: at("2024-03-05T20:00:00Z"), DataUpdateTime: at("2024-03-06T01:00:00Z"), Currency: "USD",
			AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -2000}, {Type: "Tax", Amount: -160},
				{Type: "ShippingCharge", Amount: -350}, {Type: "Goodwill", Amount: -40}},
			CostDetails: []shopcrm.MoneyDetail{{Type: "Commission", Amount: 300}, {Type: "RefundCommission", Amount: -60},
				{Type: "ShippingHB", Amount: 4}}},
		{ItemIdentifier: "fbaret:113-1:B:LPNRR1", SID: 1, OrderNumber: "113-1", Type: shopcrm.AfterSaleReturn, SKU: "B", ASIN: "B0BBB",
			Quantity: 1, Time: at("2024-03-12T18:00:00Z"), DataUpdateTime: at("2024-03-13T02:00:00Z"), Reason: "CR-DEFECTIVE",
			Status: "Unit returned to inventory", LPN: "LPNRR1", InventoryAttributes: "SELLABLE", BuyerNote: "box crushed"},
		{ItemIdentifier: "mfnret:113-2:A", SID: 1, OrderNumber: "113-2", Type: shopcrm.AfterSaleReturn, SKU: "A", Quantity: 2,
			Time: at("2024-03-20T16:00:00Z"), Reason: "CR-UNWANTED_ITEM", Status: "Approved", RMA: "D5LCqzJZRRMA", Carrier: "USPS",
			Waybill: "9202090153540168949151", BuyerNote: "自动化备注"},
		{ItemIdentifier: "exchange:113-3:A", SID: 1, OrderNumber: "113-3", Type: shopcrm.AfterSaleExchange, SKU: "A", Quantity: 1,
			Time: at("2024-04-02T10:00:00Z"), Reason: "CR-DEFECTIVE", ExchangeOrderNumber: "113-9"},
		{ItemIdentifier: "refund:202-1:U", SID: 2, OrderNumber: "202-1", Type: shopcrm.AfterSaleRefund, SKU: "U", Quantity: 1,
			Time: at("2024-03-31T23:30:00Z"), Currency: "GBP", AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -999}}},
		{ItemIdentifier: "refund:113-404:A", SID: 1, OrderNumber: "113-404", Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1,
			Time: at("2024-03-15T00:00:00Z"), Currency: "USD", AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -100}}},
	})
	if err != nil {
		t.Fatal(err)
	}
}

// ids returns the stored ids of after-sale items (by item identifier) and orders (by number).
func ids(t *testing.T, e *env) (items, orders map[string]float64) {
	t.Helper()
	items, orders = map[string]float64{}, map[string]float64{}
	for q, m := range map[string]map[string]float64{
		`SELECT item_identifier, id FROM after_sales`: items,
		`SELECT number, id FROM orders`:               orders,
	} {
		rows, err := e.store.DB().Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var k string
			var id int64
			rows.Scan(&k, &id)
			m[k] = float64(id)
		}
		rows.Close()
	}
	return items, orders
}

// blankItem is an item with every documented field at its empty value, plus the fields
// derived from the item identifier.
func blankItem(identifier string, fields map[string]any) map[string]any {
	m := map[string]any{
		"small_image_url": "", "item_name": "", "local_sku": "", "local_name": "", "asin": "", "asin_url": "", "msku": "",
		"after_type": "", "after_quantity": 0.0, "after_reason": "", "after_time": "", "after_interval": "0天", "data_update_time": "",
		"refund_amount": "", "refund_amount_details": []any{}, "refund_cost": "", "refund_cost_details": []any{},
		"refund_currency_icon": "", "return_status": "", "inventory_attributes": "", "lpn_number": "", "buyers_note": "",
		"rma_order_number": "", "carriers": "", "waybill_number": "", "exchange_order_number": "",
		"md5": md5hex("md5:" + identifier), "md5_new": md5hex("md5_new:" + identifier),
		"item_identifier": identifier, "md5_v2": md5hex(identifier), "orderDateYear": 0.0, "row_index": 1.0,
	}
	maps.Copy(m, fields)
	return m
}

func details(kv ...string) []any {
	out := []any{}
	for i := 0; i < len(kv); i += 2 {
		out = append(out, map[string]any{"type": kv[i], "amount": kv[i+1]})
	}
	return out
}

// TestAfterSaleList checks every field of every record of the fixture through signed
// requests: the refund with several details and the FBA return of one order, the MFN
// return, the multi-channel exchange, the UK refund and the refund of an unknown order.
func TestAfterSaleList(t *testing.T) {
	e := newEnv(t)
	afterSaleFixture(t, e)
	item, order := ids(t, e)
	c := e.newClient(t)
	var got []map[string]any
	env, err := c.Do(context.Background(), "POST", afterSalePath, map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01"}, &got)
	if err != nil {
		t.Fatal(err)
	}
	if env.Total != 5 || env.Message != "success" || len(env.ErrorDetails) != 0 || env.RequestID == "" {
		t.Errorf("envelope %+v", env)
	}
	usd := map[string]any{"order_total_amount_currency_code": "$", "total_refund_amount_currency_code": "$", "total_refund_cost_currency_code": "$"}
	record := func(fields ...map[string]any) map[string]any {
		m := map[string]any{}
		for _, f := range fields {
			maps.Copy(m, f)
		}
		return m
	}
	want := []map[string]any{
		record(usd, map[string]any{
			"id": item["exchange:113-3:A"], "amazon_order_id": "113-3", "sid": 1.0, "asin": "B0AAA", "msku": "A",
			"correlation_id": order["113-3"], "purchase_time": "2024-01-10 04:00:00", "deal_time": "2024-04-02 03:00:00",
			"gmt_modified": "2024-04-02 03:00:00", "interval_days": 83.0, "is_mcf_order": 2.0, "seller_country": "US shop 美国",
			"delivery_type": "FBA", "order_total_amount": "$20.00", "order_total_amount_number": "20.00",
			"total_refund_amount": "$0.00", "total_refund_amount_number": "0.00", "total_refund_cost": "$0.00", "total_refund_cost_number": "0.00",
			"after_type_tag": []any{"换货"},
			"item_list": []any{blankItem("exchange:113-3:A", map[string]any{
				"small_image_url": "https://img/a.jpg", "item_name": "Hair clip", "local_sku": "auto010", "local_name": "自动010",
				"asin": "B0AAA", "asin_url": "https://www.amazon.com/dp/B0AAA", "msku": "A", "after_type": "换货", "after_quantity": 1.0,
				"after_reason": "CR-DEFECTIVE", "after_time": "2024-04-02 03:00:00", "after_interval": "83天",
				"data_update_time": "2024-04-02 03:00:00", "exchange_order_number": "113-9", "orderDateYear": 2024.0})},
		}),
		record(map[string]any{
			"id": item["refund:202-1:U"], "amazon_order_id": "202-1", "sid": 2.0, "asin": "B0UK1", "msku": "U",
			"correlation_id": order["202-1"], "purchase_time": "2024-03-30 10:00:00", "deal_time": "2024-04-01 00:30:00",
			"gmt_modified": "2024-04-01 00:30:00", "interval_days": 2.0, "is_mcf_order": 1.0, "seller_country": "UK shop 英国",
			"delivery_type": "FBA", "order_total_amount": "￡9.99", "order_total_amount_currency_code": "￡", "order_total_amount_number": "9.99",
			"total_refund_amount": "-￡9.99", "total_refund_amount_currency_code": "￡", "total_refund_amount_number": "-9.99",
			"total_refund_cost": "￡0.00", "total_refund_cost_currency_code": "￡", "total_refund_cost_number": "0.00",
			"after_type_tag": []any{"退款"},
			"item_list": []any{blankItem("refund:202-1:U", map[string]any{
				"item_name": "Brolly", "asin": "B0UK1", "asin_url": "https://www.amazon.co.uk/dp/B0UK1", "msku": "U", "after_type": "退款",
				"after_quantity": 1.0, "after_time": "2024-04-01 00:30:00", "after_interval": "2天", "data_update_time": "2024-04-01 00:30:00",
				"refund_amount": "-￡9.99", "refund_amount_details": details("Principal", "-￡9.99"), "refund_currency_icon": "￡",
				"orderDateYear": 2024.0})},
		}),
		record(usd, map[string]any{
			"id": item["mfnret:113-2:A"], "amazon_order_id": "113-2", "sid": 1.0, "asin": "B0AAA", "msku": "A",
			"correlation_id": order["113-2"], "purchase_time": "2024-02-20 04:00:00", "deal_time": "2024-03-20 09:00:00",
			"gmt_modified": "2024-03-20 09:00:00", "interval_days": 30.0, "is_mcf_order": 1.0, "seller_country": "US shop 美国",
			"delivery_type": "FBM", "order_total_amount": "$20.00", "order_total_amount_number": "20.00",
			"total_refund_amount": "$0.00", "total_refund_amount_number": "0.00", "total_refund_cost": "$0.00", "total_refund_cost_number": "0.00",
			"after_type_tag": []any{"退货"},
			"item_list": []any{blankItem("mfnret:113-2:A", map[string]any{
				"small_image_url": "https://img/a.jpg", "item_name": "Hair clip", "local_sku": "auto010", "local_name": "自动010",
				"asin": "B0AAA", "asin_url": "https://www.amazon.com/dp/B0AAA", "msku": "A", "after_type": "退货", "after_quantity": 2.0,
				"after_reason": "CR-UNWANTED_ITEM", "after_time": "2024-03-20 09:00:00", "after_interval": "30天",
				"data_update_time": "2024-03-20 09:00:00", "return_status": "Approved", "buyers_note": "自动化备注",
				"rma_order_number": "D5LCqzJZRRMA", "carriers": "USPS", "waybill_number": "9202090153540168949151", "orderDateYear": 2024.0})},
		}),
		record(usd, map[string]any{
			"id": item["refund:113-404:A"], "amazon_order_id": "113-404", "sid": 1.0, "asin": "", "msku": "A",
			"correlation_id": 0.0, "purchase_time": "", "deal_time": "2024-03-14 17:00:00", "gmt_modified": "2024-03-14 17:00:00",
			"interval_days": 0.0, "is_mcf_order": 0.0, "seller_country": "US shop 美国", "delivery_type": "",
			"order_total_amount": "$0.00", "order_total_amount_number": "0.00",
			"total_refund_amount": "-$1.00", "total_refund_amount_number": "-1.00", "total_refund_cost": "$0.00", "total_refund_cost_number": "0.00",
			"after_type_tag": []any{"退款"},
			"item_list": []any{blankItem("refund:113-404:A", map[string]any{
				"small_image_url": "https://img/a.jpg", "local_sku": "auto010", "local_name": "自动010", "msku": "A", "after_type": "退款",
				"after_quantity": 1.0, "after_time": "2024-03-14 17:00:00", "data_update_time": "2024-03-14 17:00:00",
				"refund_amount": "-$1.00", "refund_amount_details": details("Principal", "-$1.00"), "refund_currency_icon": "$",
				"orderDateYear": 2024.0})},
		}),
		record(usd, map[string]any{
			"id": item["refund:113-1:A"], "amazon_order_id": "113-1", "sid": 1.0, "asin": "B0AAA", "msku": "A",
			"correlation_id": order["113-1"], "purchase_time": "2024-03-01 10:00:00", "deal_time": "2024-03-12 11:00:00",
			"gmt_modified": "2024-03-12 19:00:00", "interval_days": 11.0, "is_mcf_order": 1.0, "seller_country": "US shop 美国",
			"delivery_type": "FBA", "order_total_amount": "$45.00", "order_total_amount_number": "45.00",
			"total_refund_amount": "-$25.50", "total_refund_amount_number": "-25.50", "total_refund_cost": "$2.44", "total_refund_cost_number": "2.44",
			"after_type_tag": []any{"退款", "退货"},
			"item_list": []any{
				blankItem("refund:113-1:A", map[string]any{
					"small_image_url": "https://img/a.jpg", "item_name": "Hair clip", "local_sku": "auto010", "local_name": "自动010",
					"asin": "B0AAA", "asin_url": "https://www.amazon.com/dp/B0AAA", "msku": "A", "after_type": "退款", "after_quantity": 1.0,
					"after_time": "2024-03-05 12:00:00", "after_interval": "5天", "data_update_time": "2024-03-05 17:00:00",
					"refund_amount":         "-$25.50",
					"refund_amount_details": details("Principal", "-$20.00", "Tax", "-$1.60", "ShippingCharge", "-$3.50", "Goodwill", "-$0.40"),
					"refund_cost":           "$2.44", "refund_cost_details": details("Commission", "$3.00", "RefundCommission", "-$0.60", "ShippingHB", "$0.04"),
					"refund_currency_icon": "$", "orderDateYear": 2024.0}),
				blankItem("fbaret:113-1:B:LPNRR1", map[string]any{
					"item_name": "Comb", "asin": "B0BBB", "asin_url": "https://www.amazon.com/dp/B0BBB", "msku": "B", "after_type": "退货",
					"after_quantity": 1.0, "after_reason": "CR-DEFECTIVE", "after_time": "2024-03-12 11:00:00", "after_interval": "11天",
					"data_update_time": "2024-03-12 19:00:00", "return_status": "Unit returned to inventory", "inventory_attributes": "SELLABLE",
					"lpn_number": "LPNRR1", "buyers_note": "box crushed", "orderDateYear": 2024.0, "row_index": 2.0}),
			},
		}),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}
}

// afterSaleOrders returns the records of a request as "order:type+type".
func afterSaleOrders(t *testing.T, c *client.Client, body map[string]any) ([]string, int) {
	t.Helper()
	var recs []struct {
		ID    string `json:"amazon_order_id"`
		Items []struct {
			Type string `json:"after_type"`
		} `json:"item_list"`
	}
	env, err := c.Do(context.Background(), "POST", afterSalePath, body, &recs)
	if err != nil {
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
	return out, env.Total
}

func TestAfterSaleFilters(t *testing.T) {
	e := newEnv(t)
	afterSaleFixture(t, e)
	c := e.newClient(t)
	march := func(extra map[string]any) map[string]any {
		b := map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01"}
		maps.Copy(b, extra)
		return b
	}
	for _, tt := range []struct {
		name string
		body map[string]any
		want []string
	}{
		// 202-1's refund is 04-01 00:30 in London: April, although March in UTC.
		{"ByTime", march(nil), []string{"113-2:退货", "113-404:退款", "113-1:退款+退货"}},
		{"DateType1", march(map[string]any{"date_type": 1}), []string{"113-2:退货", "113-404:退款", "113-1:退款+退货"}},
		{"LocalDay", map[string]any{"start_date": "2024-03-12", "end_date": "2024-03-13"}, []string{"113-1:退货"}},
		{"OtherZone", map[string]any{"start_date": "2024-04-01", "end_date": "2024-04-02", "sid": 2}, []string{"202-1:退款"}},
		// Purchased in March: 113-1 (03-01) and 202-1 (03-30); the unknown order has no purchase time.
		{"ByPurchase", march(map[string]any{"date_type": 2}), []string{"202-1:退款", "113-1:退款+退货"}},
		{"DataTypeAlias", march(map[string]any{"data_type": "2"}), []string{"202-1:退款", "113-1:退款+退货"}},
		// Updated 03-05 17:00 PST: the refund only; its after time is 03-05 too, the return's 03-12.
		{"ByUpdate", map[string]any{"start_date": "2024-03-05", "end_date": "2024-03-06", "date_type": 3}, []string{"113-1:退款"}},
		{"ByUpdateNextDay", map[string]any{"start_date": "2024-03-06", "end_date": "2024-03-07", "date_type": 3}, nil},
		{"Refunds", march(map[string]any{"after_type": "1"}), []string{"113-404:退款", "113-1:退款"}},
		{"ReturnsAndExchanges", map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "after_type": " 2, 3"},
			[]string{"113-3:换货", "113-2:退货", "113-1:退货"}},
		{"OrderIDs", map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01",
			"amazon_order_id_list": []string{"113-3", "113-404", "113-9"}}, []string{"113-3:换货", "113-404:退款"}},
		{"OrderIDsOutsideDates", march(map[string]any{"amazon_order_id_list": []string{"113-3"}}), nil},
		{"OrderIDsAsText", march(map[string]any{"amazon_order_id_list": "113-2, 113-1"}), []string{"113-2:退货", "113-1:退款+退货"}},
		{"ShopList", map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "sid": "2,1", "after_type": "1"},
			[]string{"202-1:退款", "113-404:退款", "113-1:退款"}},
		{"EmptyRange", map[string]any{"start_date": "2024-03-01", "end_date": "2024-03-01"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, total := afterSaleOrders(t, c, tt.body)
			if diff := cmp.Diff(tt.want, got); diff != "" || total != len(tt.want) {
				t.Errorf("total %d; records (-want +got):\n%s", total, diff)
			}
		})
	}
}

// TestAfterSalePaging walks every page and finds each record once, in the order of the
// whole list, with the same total on every page.
func TestAfterSalePaging(t *testing.T) {
	e := newEnv(t)
	afterSaleFixture(t, e)
	ctx := context.Background()
	// Twelve more orders whose after-sales share two instants, so the order rests on ids.
	for i := range 12 {
		number := fmt.Sprintf("114-%02d", i)
		if _, err := e.store.UpsertOrders(ctx, []*shopcrm.Order{{SID: int64(1 + i%2), Number: number, BuyerEmail: "p@x.com",
			PurchaseTime: at("2024-02-01T12:00:00Z"), Status: "Shipped", Currency: "USD"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.store.UpsertAfterSales(ctx, []*shopcrm.AfterSale{{ItemIdentifier: "p:" + number, SID: int64(1 + i%2),
			OrderNumber: number, Type: 1 + i%3, Quantity: 1, Time: at("2024-02-10T12:00:00Z").Add(time.Duration(i%2) * time.Hour)}}); err != nil {
			t.Fatal(err)
		}
	}
	// The gateway gives the bucket token back after the reply is written, so a client's next
	// request can arrive first once a reply outgrows the write buffer; room for two avoids
	// that race, which this test is not about.
	e.server.Capacity = 2
	c := e.newClient(t)
	body := func(offset, length int) map[string]any {
		return map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "offset": offset, "length": length}
	}
	all, total := afterSaleOrders(t, c, body(0, 1000))
	if total != 17 || len(all) != 17 {
		t.Fatalf("total %d, %d records", total, len(all))
	}
	for _, length := range []int{1, 4, 5} {
		var walked []string
		for offset := 0; offset < total+length; offset += length {
			page, n := afterSaleOrders(t, c, body(offset, length))
			if n != total {
				t.Fatalf("length %d offset %d: total %d", length, offset, n)
			}
			walked = append(walked, page...)
		}
		if diff := cmp.Diff(all, walked); diff != "" {
			t.Errorf("length %d: walked pages (-whole list +pages):\n%s", length, diff)
		}
	}
}

// TestAfterSaleScope: an app sees its own shops only.
func TestAfterSaleScope(t *testing.T) {
	e := newEnv(t)
	afterSaleFixture(t, e)
	c := e.newClient(t, 2)
	dates := map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01"}
	got, total := afterSaleOrders(t, c, dates)
	if diff := cmp.Diff([]string{"202-1:退款"}, got); diff != "" || total != 1 {
		t.Errorf("no sid: total %d (-want +got):\n%s", total, diff)
	}
	got, _ = afterSaleOrders(t, c, map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "sid": "2"})
	if len(got) != 1 {
		t.Errorf("sid 2: %v", got)
	}
	// An order id of another shop stays hidden.
	got, _ = afterSaleOrders(t, c, map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "amazon_order_id_list": []string{"113-1"}})
	if len(got) != 0 {
		t.Errorf("other shop's order: %v", got)
	}
	env, err := c.Raw(context.Background(), "POST", afterSalePath, map[string]any{"start_date": "2024-01-01", "end_date": "2024-05-01", "sid": "1,2"})
	if code(env, err) != "102" || len(env.ErrorDetails) != 1 || !strings.HasPrefix(env.ErrorDetails[0], "sid:") {
		t.Errorf("sid 1: %+v", env)
	}
}

func TestAfterSaleErrors(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	ids := make([]string, 51)
	for i := range ids {
		ids[i] = fmt.Sprintf("113-%07d", i)
	}
	dates := func(extra map[string]any) map[string]any {
		b := map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01"}
		maps.Copy(b, extra)
		return b
	}
	for _, tt := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"MissingDates", map[string]any{}, []string{"start_date", "end_date"}},
		{"BlankDate", map[string]any{"start_date": " ", "end_date": "2024-04-01"}, []string{"start_date"}},
		{"BadFormat", map[string]any{"start_date": "2024/03/01", "end_date": "2024-13-01"}, []string{"start_date", "end_date"}},
		{"DateNotText", map[string]any{"start_date": 20240301, "end_date": "2024-04-01"}, []string{"start_date"}},
		{"EndBeforeStart", map[string]any{"start_date": "2024-04-01", "end_date": "2024-03-01"}, []string{"end_date"}},
		{"TooManyIDs", dates(map[string]any{"amazon_order_id_list": ids}), []string{"amazon_order_id_list"}},
		{"IDsNotAList", dates(map[string]any{"amazon_order_id_list": map[string]any{"a": 1}}), []string{"amazon_order_id_list"}},
		{"LengthOver5000", dates(map[string]any{"length": 5001}), []string{"length"}},
		{"LengthZero", dates(map[string]any{"length": 0}), []string{"length"}},
		{"LengthNotNumber", dates(map[string]any{"length": "many"}), []string{"length"}},
		{"UnknownAfterType", dates(map[string]any{"after_type": "1,4"}), []string{"after_type"}},
		{"NegativeOffset", dates(map[string]any{"offset": -1}), []string{"offset"}},
		{"BadDateType", dates(map[string]any{"date_type": 4}), []string{"date_type"}},
		{"BadDataType", dates(map[string]any{"data_type": "x"}), []string{"data_type"}},
		{"UnknownShop", dates(map[string]any{"sid": "1,42"}), []string{"sid"}},
		{"BadShopID", dates(map[string]any{"sid": "one"}), []string{"sid"}},
		{"Several", map[string]any{"end_date": "2024-04-01", "offset": -5, "length": 6000, "after_type": "9"},
			[]string{"start_date", "after_type", "offset", "length"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env, err := c.Raw(context.Background(), "POST", afterSalePath, tt.body)
			if code(env, err) != "102" || string(env.Data) != "null" || env.Total != 0 || !strings.HasPrefix(env.Message, "参数不合法") {
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
	t.Run("DefaultsAndLimits", func(t *testing.T) {
		for _, body := range []map[string]any{dates(map[string]any{"length": 5000, "offset": 0, "amazon_order_id_list": ids[:50]}),
			dates(map[string]any{"date_type": "3", "after_type": "1,2,3", "sid": 1})} {
			if env, err := c.Raw(context.Background(), "POST", afterSalePath, body); code(env, err) != "0" || string(env.Data) != "[]" {
				t.Errorf("%v: reply %+v", body, env)
			}
		}
	})
}

// fakeAfterSales serves a fixed page, so the benchmark times the API alone.
type fakeAfterSales []*shopcrm.AfterSaleOrder

func (f fakeAfterSales) FindAfterSaleOrders(context.Context, shopcrm.AfterSaleFilter) ([]*shopcrm.AfterSaleOrder, int, error) {
	return f, len(f), nil
}

// BenchmarkAfterSaleListAPI times a 1000-record page through the gateway, the handler, the
// JSON encoding and the client's decoding, over a store-less service (the store call has its
// own benchmark, BenchmarkFindAfterSaleOrders in sqlstore).
func BenchmarkAfterSaleListAPI(b *testing.B) {
	shop := &shopcrm.Shop{SID: 1, Name: "US shop", Marketplace: "US", Country: "美国", Currency: "USD", TimeZone: "America/Los_Angeles"}
	var page fakeAfterSales
	for i := range 1000 {
		o := &shopcrm.Order{ID: int64(i + 1), SID: 1, Number: fmt.Sprintf("113-%07d-%07d", i, i), PurchaseTime: at("2024-03-01T18:00:00Z"),
			Status: "Shipped", Fulfilment: "FBA", SalesChannel: "Amazon.com", Currency: "USD"}
		r := &shopcrm.AfterSaleOrder{ID: int64(i + 1), Order: o, Shop: shop, OrderTotal: 4500}
		for k := range 1 + i%50/49 {
			r.Items = append(r.Items, &shopcrm.AfterSaleItem{RowIndex: k + 1, Title: "Love Pearl Bottom Hair Circle",
				Product: &shopcrm.Product{LocalSKU: "auto010", LocalName: "自动010", SmallImageURL: "https://img.example.com/a/b/c.jpg"},
				AfterSale: shopcrm.AfterSale{ID: int64(i*2 + k), ItemIdentifier: fmt.Sprintf("refund:%s:SKU-%d", o.Number, k), SID: 1,
					OrderNumber: o.Number, Type: 1 + k, SKU: "Pink_Head_Rope_12", ASIN: "B09MT9BKAD", Quantity: 1,
					Time: at("2024-03-05T20:00:00Z"), DataUpdateTime: at("2024-03-06T01:00:00Z"), Currency: "USD",
					AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -2000}, {Type: "ShippingCharge", Amount: -350}},
					CostDetails:   []shopcrm.MoneyDetail{{Type: "Commission", Amount: 300}, {Type: "RefundCommission", Amount: -60}}}})
		}
		page = append(page, r)
	}
	// newEnv takes a *testing.T; this is its benchmark twin over the fake service.
	ctx := context.Background()
	s := storetest.MustOpen(b)
	srv := &lingxing.Server{Apps: s, Shops: s, Rates: s, Buyers: s, AfterSales: page, Capacity: 2}
	hs := httptest.NewServer(srv.Handler())
	b.Cleanup(hs.Close)
	c := appClient(b, s, hs.URL, shopcrm.App{})
	body := map[string]any{"start_date": "2024-03-01", "end_date": "2024-04-01"}
	var lat []time.Duration
	for b.Loop() {
		t0 := time.Now()
		env, err := c.Do(ctx, "POST", afterSalePath, body, nil)
		if err != nil || env.Total != 1000 {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
