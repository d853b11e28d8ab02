package lingxing_test

import (
	"context"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing"
	"github.com/shopcrm/shopcrm/sqlite"
)

const customerPath = "/basicOpen/customerService/crm/customer/index"

// customerFixture: buyer a@x.com (note "likes blue", segment VIP) and b@x.com.
//
//	a: U1 shop 1 (US) 2024-03-01 10:00Z A ×2 $20.00 (+ a cancelled line); U2 cancelled;
//	   K1 shop 2 (UK) 2024-04-10 12:00Z D ×3 £30.00; refund and return on U1, 5★ on U1, 1★ on K1.
//	   Rates 2024: USD 7.18, GBP 9.18. All shops: orders 2, units 5, latest shop UK → £,
//	   amount 30.00 + 20.00×7.18/9.18 (15.64) = £45.64, per order 22.82; CNY 143.60 + 275.40 =
//	   ¥419.00; USD 20.00 + 38.36 = $58.36; refund 1/1 (rate 0.5), return 1/1 (0.5),
//	   feedback 2 (rate 1), bad 1 (bad rate 0.5); first 2024-03-01 02:00:00 PST,
//	   last 2024-04-10 13:00:00 BST. Shop 2 alone: 1 order, 3 units, £30.00, bad rate 1.
//	b: one order in shop 1 2024-05-01 17:00Z (10:00 PDT), B ×1 $10.00.
func customerFixture(t *testing.T, e *env) {
	ctx := context.Background()
	_, err := e.store.UpsertOrders(ctx, []*shopcrm.Order{
		{SID: 1, Number: "U1", BuyerEmail: "a@x.com", BuyerName: "Ann Lee", PurchaseTime: at("2024-03-01T10:00:00Z"), Status: "Shipped",
			Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 2, Price: 2000}, {SKU: "C", Quantity: 1, Price: 500, Status: "Cancelled"}}},
		{SID: 1, Number: "U2", BuyerEmail: "a@x.com", PurchaseTime: at("2024-03-05T08:00:00Z"), Status: "Cancelled", Currency: "USD",
			Items: []shopcrm.OrderItem{{SKU: "C", Quantity: 1, Price: 1000}}},
		{SID: 2, Number: "K1", BuyerEmail: "a@x.com", PurchaseTime: at("2024-04-10T12:00:00Z"), Status: "Shipped", Currency: "GBP",
			Items: []shopcrm.OrderItem{{SKU: "D", Quantity: 3, Price: 3000}}},
		{SID: 1, Number: "B1", BuyerEmail: "b@x.com", BuyerName: "Bob Roe", PurchaseTime: at("2024-05-01T17:00:00Z"), Status: "Shipped",
			Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "B", Quantity: 1, Price: 1000}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.UpsertAfterSales(ctx, []*shopcrm.AfterSale{
		{ItemIdentifier: "r", SID: 1, OrderNumber: "U1", Type: 1, SKU: "A", Quantity: 1, Time: at("2024-03-10T00:00:00Z")},
		{ItemIdentifier: "t", SID: 1, OrderNumber: "U1", Type: 2, SKU: "A", Quantity: 1, Time: at("2024-03-12T00:00:00Z")},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.store.UpsertFeedback(ctx, []*shopcrm.Feedback{{SID: 1, OrderNumber: "U1", Rating: 5}, {SID: 2, OrderNumber: "K1", Rating: 1}}); err != nil {
		t.Fatal(err)
	}
	cs, _, err := e.store.FindCustomers(ctx, shopcrm.CustomerFilter{Search: "a@x.com", Limit: 1})
	if err != nil || len(cs) != 1 {
		t.Fatalf("customer a: %v", err)
	}
	note := "likes blue"
	if _, err := e.store.UpdateCustomer(ctx, cs[0].ID, shopcrm.CustomerUpdate{Note: &note}); err != nil {
		t.Fatal(err)
	}
	vip := &shopcrm.Segment{Title: "VIP"}
	if err := e.store.CreateSegment(ctx, vip); err != nil {
		t.Fatal(err)
	}
	if err := e.store.AddSegmentCustomers(ctx, vip.ID, []int64{cs[0].ID}); err != nil {
		t.Fatal(err)
	}
}

func listCustomers(t *testing.T, e *env, body map[string]any) ([]map[string]any, int) {
	t.Helper()
	var data struct {
		List  []map[string]any `json:"list"`
		Total int              `json:"total"`
	}
	env, err := e.newClient(t).Do(context.Background(), "POST", customerPath, body, &data)
	if err != nil {
		t.Fatal(err)
	}
	if env.Total != data.Total {
		t.Fatalf("top-level total %d, data.total %d", env.Total, data.Total)
	}
	return data.List, data.Total
}

func TestCustomerListRow(t *testing.T) {
	e := newEnv(t)
	customerFixture(t, e)
	list, total := listCustomers(t, e, map[string]any{})
	if total != 2 || len(list) != 2 || list[0]["buyer_email"] != "b@x.com" {
		t.Fatalf("total %d list %v", total, list)
	}
	want := map[string]any{
		"buyer_email": "a@x.com", "buyer_name": "Ann Lee", "sid": []any{1.0, 2.0}, "country": "美国,英国",
		"seller_name": "US shop,UK shop", "order_items": 2.0, "volume": 5.0, "amount": 45.64, "per_customer_transaction": 22.82,
		"currency_icon": "￡", "refund_number": 1.0, "refund_sales_number": 1.0, "refund_rate": 0.5, "return_number": 1.0,
		"return_sales_number": 1.0, "return_rate": 0.5, "feedback_number": 2.0, "feedback_bad_number": 1.0, "feedback_rate": 1.0,
		"feedback_bad_rate": 0.5, "first_purchase_date": "2024-03-01 02:00:00", "last_purchase_date": "2024-04-10 13:00:00",
		"remark": "likes blue", "group": []any{"VIP"},
	}
	if diff := cmp.Diff(want, list[1]); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	if b := list[0]; b["group"] == nil || len(b["group"].([]any)) != 0 || b["currency_icon"] != "$" || b["amount"] != 10.0 {
		t.Errorf("row b: %v", b)
	}
}

func TestCustomerListQueries(t *testing.T) {
	e := newEnv(t)
	customerFixture(t, e)
	for _, tt := range []struct {
		name string
		body map[string]any
		want []string // e-mail:amount:icon
	}{
		{"SortOrderItemsAsc", map[string]any{"sort_field": "order_items", "sort_type": "asc"}, []string{"b@x.com:10:$", "a@x.com:45.64:￡"}},
		{"SortVolumeDesc", map[string]any{"sort_field": "volume"}, []string{"a@x.com:45.64:￡", "b@x.com:10:$"}},
		{"SortFirstPurchaseAsc", map[string]any{"sort_field": "first_purchase_date", "sort_type": "asc"}, []string{"a@x.com:45.64:￡", "b@x.com:10:$"}},
		{"CNY", map[string]any{"currency_type": 1}, []string{"b@x.com:71.8:￥", "a@x.com:419:￥"}},
		{"USD", map[string]any{"currency_type": "2"}, []string{"b@x.com:10:$", "a@x.com:58.36:$"}},
		{"OneShop", map[string]any{"sids": "2"}, []string{"a@x.com:30:￡"}},
		{"SearchEmail", map[string]any{"search_field": "buyer_email", "search_value": "B@X"}, []string{"b@x.com:10:$"}},
		{"SearchName", map[string]any{"search_field": "buyer_name", "search_value": "ann"}, []string{"a@x.com:45.64:￡"}},
		{"FirstPurchaseDay", map[string]any{"date_field": "1", "start_date": "2024-03-01", "end_date": "2024-03-01"}, []string{"a@x.com:45.64:￡"}},
		{"LastPurchaseRange", map[string]any{"date_field": "last_purchase_date", "start_date": "2024-04-01", "end_date": "2024-04-30"}, []string{"a@x.com:45.64:￡"}},
		{"Paging", map[string]any{"offset": 1, "length": 1}, []string{"a@x.com:45.64:￡"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			list, _ := listCustomers(t, e, tt.body)
			var got []string
			for _, r := range list {
				got = append(got, r["buyer_email"].(string)+":"+strings.TrimSuffix(strings.TrimRight(fmtFloat(r["amount"].(float64)), "0"), ".")+":"+r["currency_icon"].(string))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	t.Run("MyRateNextRequest", func(t *testing.T) {
		if err := e.store.SetMyRate(context.Background(), "2024-05", "USD", 7_000_000); err != nil {
			t.Fatal(err)
		}
		list, _ := listCustomers(t, e, map[string]any{"currency_type": 1, "search_value": "b@x"})
		if len(list) != 1 || list[0]["amount"] != 70.0 {
			t.Fatalf("after rates set: %v", list)
		}
	})
}

func TestCustomerListErrors(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	for _, tt := range []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"UnknownSortField", map[string]any{"sort_field": "email"}, "sort_field"},
		{"LengthOver200", map[string]any{"length": 201}, "length"},
		{"StartAfterEnd", map[string]any{"start_date": "2024-05-02", "end_date": "2024-05-01"}, "start_date"},
		{"BadDate", map[string]any{"start_date": "2024-5-1"}, "start_date"},
		{"NegativeOffset", map[string]any{"offset": -1}, "offset"},
		{"BadCurrencyType", map[string]any{"currency_type": 3}, "currency_type"},
		{"UnknownSID", map[string]any{"sids": "9"}, "sids"},
		{"BadSortType", map[string]any{"sort_type": "up"}, "sort_type"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env, err := c.Raw(context.Background(), "POST", customerPath, tt.body)
			if code(env, err) != "102" || len(env.ErrorDetails) == 0 || !strings.HasPrefix(env.ErrorDetails[0], tt.field+":") {
				t.Fatalf("reply %+v", env)
			}
		})
	}
}

// TestCustomerListShops: selections of several shops add up the shops' figures, whether
// requested (sids) or implied by an app limited to those shops. Shop 3 is DE (EUR, Berlin).
// Default rates 2024 (CNY per unit): USD 7.18, GBP 9.18, EUR 7.77.
//
//	c@x.com: shop 1 2024-02-01T12:00Z (04:00:00 PST) ×1 $10.00; shop 2 2024-03-01T12:00Z
//	         (12:00:00 GMT) ×1 £20.00; shop 3 2024-04-01T10:00Z (12:00:00 CEST) ×1 €30.00.
//	d@x.com, e@x.com: shop 3 2024-05-01T10:00Z ×1 €5.00 each.
//
// Over shops 1 and 2, c's latest purchase is in shop 2 → £: $10 → 1000×7.18/9.18 = 782.14 →
// £7.82, amount £27.82, per order 13.91; 2 orders, 2 units; first 2024-02-01 04:00:00, last
// 2024-03-01 12:00:00. Over all shops, latest in shop 3 → €: $10 → 1000×7.18/7.77 = 924.07 →
// €9.24, £20 → 2000×9.18/7.77 = 2362.93 → €23.63, amount €62.87, per order 6287/3 = 2095.67 →
// €20.96; CNY 71.80 + 183.60 + 233.10 = ¥488.50 (per 162.83).
func TestCustomerListShops(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.CreateShop(ctx, &shopcrm.Shop{SID: 3, Name: "DE shop", Marketplace: "DE"}); err != nil {
		t.Fatal(err)
	}
	order := func(sid int64, num, email, when, cur string, price shopcrm.Amount) *shopcrm.Order {
		return &shopcrm.Order{SID: sid, Number: num, BuyerEmail: email, PurchaseTime: at(when), Status: "Shipped",
			Currency: cur, Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: price}}}
	}
	if _, err := e.store.UpsertOrders(ctx, []*shopcrm.Order{
		order(1, "C1", "c@x.com", "2024-02-01T12:00:00Z", "USD", 1000),
		order(2, "C2", "c@x.com", "2024-03-01T12:00:00Z", "GBP", 2000),
		order(3, "C3", "c@x.com", "2024-04-01T10:00:00Z", "EUR", 3000),
		order(3, "D1", "e@x.com", "2024-05-01T10:00:00Z", "EUR", 500),
		order(3, "E1", "d@x.com", "2024-05-01T10:00:00Z", "EUR", 500),
	}); err != nil {
		t.Fatal(err)
	}
	pick := func(r map[string]any) map[string]any {
		out := map[string]any{}
		for _, k := range []string{"buyer_email", "sid", "country", "seller_name", "order_items", "volume", "amount",
			"per_customer_transaction", "currency_icon", "first_purchase_date", "last_purchase_date"} {
			out[k] = r[k]
		}
		return out
	}
	c12 := map[string]any{"buyer_email": "c@x.com", "sid": []any{1.0, 2.0}, "country": "美国,英国", "seller_name": "US shop,UK shop",
		"order_items": 2.0, "volume": 2.0, "amount": 27.82, "per_customer_transaction": 13.91, "currency_icon": "￡",
		"first_purchase_date": "2024-02-01 04:00:00", "last_purchase_date": "2024-03-01 12:00:00"}
	cAll := map[string]any{"buyer_email": "c@x.com", "sid": []any{1.0, 2.0, 3.0}, "country": "美国,英国,德国",
		"seller_name": "US shop,UK shop,DE shop", "order_items": 3.0, "volume": 3.0, "amount": 62.87,
		"per_customer_transaction": 20.96, "currency_icon": "€",
		"first_purchase_date": "2024-02-01 04:00:00", "last_purchase_date": "2024-04-01 12:00:00"}

	for _, tt := range []struct {
		name   string
		client []int64 // the app's shops
		body   map[string]any
		want   map[string]any // the first row
		emails []string
	}{
		{"RequestedSIDs", nil, map[string]any{"sids": "1,2"}, c12, []string{"c@x.com"}},
		{"RequestedSIDsArray", nil, map[string]any{"sids": []any{2, "1"}}, c12, []string{"c@x.com"}},
		{"AppLimitedToShops", []int64{1, 2}, map[string]any{}, c12, []string{"c@x.com"}},
		{"AllShops", nil, map[string]any{"sort_field": "volume"}, cAll, []string{"c@x.com", "d@x.com", "e@x.com"}},
		{"AllShopsAsc", nil, map[string]any{"sort_field": "volume", "sort_type": "asc"}, nil, []string{"d@x.com", "e@x.com", "c@x.com"}},
		{"AppOfAllShops", []int64{1, 2, 3}, map[string]any{"sort_field": "volume"}, cAll, []string{"c@x.com", "d@x.com", "e@x.com"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var data struct {
				List  []map[string]any `json:"list"`
				Total int              `json:"total"`
			}
			if _, err := e.newClient(t, tt.client...).Do(ctx, "POST", customerPath, tt.body, &data); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range data.List {
				got = append(got, r["buyer_email"].(string))
			}
			if diff := cmp.Diff(tt.emails, got); diff != "" || data.Total != len(tt.emails) {
				t.Fatalf("total %d, e-mails (-want +got):\n%s", data.Total, diff)
			}
			if tt.want != nil {
				if diff := cmp.Diff(tt.want, pick(data.List[0])); diff != "" {
					t.Errorf("row (-want +got):\n%s", diff)
				}
			}
		})
	}
	t.Run("CNYAllShops", func(t *testing.T) {
		list, _ := listCustomers(t, e, map[string]any{"currency_type": 1, "search_value": "c@"})
		if len(list) != 1 || list[0]["amount"] != 488.5 || list[0]["per_customer_transaction"] != 162.83 || list[0]["currency_icon"] != "￥" {
			t.Fatalf("c in CNY: %v", list)
		}
	})
	t.Run("UnauthorisedSID", func(t *testing.T) {
		env, err := e.newClient(t, 1, 2).Raw(ctx, "POST", customerPath, map[string]any{"sids": "3"})
		if code(env, err) != "102" || len(env.ErrorDetails) != 1 || !strings.HasPrefix(env.ErrorDetails[0], "sids:") {
			t.Fatalf("reply %+v", env)
		}
	})
}

// TestCustomerListMoreErrors: the remaining parameters, and several bad fields at once.
func TestCustomerListMoreErrors(t *testing.T) {
	e := newEnv(t)
	c := e.newClient(t)
	for _, tt := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"DateField", map[string]any{"date_field": "3"}, []string{"date_field"}},
		{"SearchField", map[string]any{"search_field": "phone", "search_value": "1"}, []string{"search_field"}},
		{"OffsetNotANumber", map[string]any{"offset": "ten"}, []string{"offset"}},
		{"LengthNegative", map[string]any{"length": -5}, []string{"length"}},
		{"BadSIDList", map[string]any{"sids": "1,x"}, []string{"sids"}},
		{"SeveralAtOnce", map[string]any{"sort_type": "up", "offset": "x", "end_date": "tomorrow"}, []string{"sort_type", "end_date", "offset"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env, err := c.Raw(context.Background(), "POST", customerPath, tt.body)
			var fields []string
			if env != nil {
				for _, d := range env.ErrorDetails {
					f, _, _ := strings.Cut(d, ":")
					fields = append(fields, f)
				}
			}
			if code(env, err) != "102" || !cmp.Equal(fields, tt.fields) || string(env.Data) != "null" || env.Total != 0 {
				t.Fatalf("reply %+v, fields %v", env, fields)
			}
		})
	}
}

// BenchmarkCustomerList times the customer list over HTTP with signed requests, on the
// million-buyer SQLite store that `go test ./sqlstore -bench FindBuyers` generates (at
// SHOPCRM_BENCH_DB, default $TMPDIR/shopcrm-bench-1000000.db; skipped when missing). Per shape
// and offset, each iteration is one request, cycling through every sort field both ways.
func BenchmarkCustomerList(b *testing.B) {
	path := os.Getenv("SHOPCRM_BENCH_DB")
	if path == "" {
		path = filepath.Join(os.TempDir(), "shopcrm-bench-1000000.db")
	}
	if _, err := os.Stat(path); err != nil {
		b.Skip("no benchmark store: run go test ./sqlstore -run '^$' -bench FindBuyers first")
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.WarmBuyers(ctx); err != nil {
		b.Fatal(err)
	}
	srv := &lingxing.Server{Apps: s, Shops: s, Rates: s, Buyers: s, AfterSales: s, Unlimited: true}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	c := appClient(b, s, hs.URL, shopcrm.App{})
	fields := slices.Sorted(maps.Keys(shopcrm.BuyerSortFields))
	for _, sh := range []struct {
		name string
		body map[string]any
	}{
		{"none", map[string]any{}},
		{"sid", map[string]any{"sids": "2"}},
		{"sids3", map[string]any{"sids": "1,2,3"}},
		{"date", map[string]any{"date_field": "last_purchase_date", "start_date": "2024-01-01", "end_date": "2024-06-30"}},
		{"email", map[string]any{"search_field": "buyer_email", "search_value": "00"}},
		{"email1", map[string]any{"search_field": "buyer_email", "search_value": "0000bc8f"}},
		{"name", map[string]any{"search_field": "buyer_name", "search_value": "smith"}},
	} {
		for _, offset := range []int{0, 10000} {
			b.Run(fmt.Sprintf("%s/offset=%d", sh.name, offset), func(b *testing.B) {
				var lat []time.Duration
				var data struct {
					Total int `json:"total"`
				}
				for k := 0; b.Loop(); k++ {
					body := maps.Clone(sh.body)
					body["sort_field"], body["offset"] = fields[k/2%len(fields)], offset
					body["sort_type"] = []string{"desc", "asc"}[k%2]
					t0 := time.Now()
					if _, err := c.Do(ctx, "POST", customerPath, body, &data); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Since(t0))
				}
				slices.Sort(lat)
				q := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
				b.ReportMetric(q(0.5), "p50-ms")
				b.ReportMetric(q(0.99), "p99-ms")
				b.ReportMetric(float64(data.Total), "total")
			})
		}
	}
}
