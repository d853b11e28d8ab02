package sqlstore_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// The customer-list fixture. Shops: 1 "US One" (US, USD, Los Angeles), 2 "UK" (UK, GBP,
// London), 3 "US Two" (US, USD, Los Angeles). My rates for 2024-01, in force all 2024:
// USD 7.00, GBP 9.00 CNY. Orders (UTC → shop-local; item prices are line totals):
//
//	ann@x.com "Ann Lee"   A1 s1 2024-03-01T10:00Z → 03-01 02:00:00 PST  a ×2 $20.00   refund 1 unit
//	                      A2 s2 2024-04-10T12:00Z → 04-10 13:00:00 BST  d ×1 £30.00   feedback 1★
//	                      A3 s3 2024-05-05T10:00Z → 05-05 03:00:00 PDT  e ×1 $15.00
//	bob@y.com "Bob Stone" B1 s1 2024-02-16T06:00Z → 02-15 22:00:00 PST  ×1 $10.00      feedback 5★
//	                      B2 s1 2024-05-01T18:00Z → 05-01 11:00:00 PDT  ×3 $30.00      return 2 units
//	CARL@x.com "Carl Ann" C1 s3 2024-03-20T15:00Z → 03-20 08:00:00 PDT  ×1 $40.00      feedback 2★
//	dana@z.com "Dana"     D1 s2 2024-01-05T09:00Z → 01-05 09:00:00 GMT  ×2 £10.00      refund 2, return 1 unit
//	                      D2 s3 2024-06-01T12:00Z → 06-01 05:00:00 PDT  ×1 $10.00
//	eve@x.com "Eve"       E1 s1 2024-03-01T10:00Z → 03-01 02:00:00 PST  ×2 $20.00      feedback 4★
//	                      E2 s1 cancelled $99.00; E3 s1 Non-Amazon (multi-channel) $50.00: not counted
//
// Ann's note is "vip"; she is in segments "VIP" then "2024"; nobody else is in one.
//
// By hand, over all shops (currency_type 0 shows the currency of the latest purchase's shop):
//
//	ann: 3 orders, 2+1+1 = 4 units; latest A3 in s3 → USD. £30 → USD = 3000×9/7 = 3857.14 → $38.57,
//	     amount 20.00+38.57+15.00 = $73.57, per order 7357/3 = 2452.33 → $24.52;
//	     CNY 140+270+105 = 515.00 (per 171.67); USD 73.57. Refund 1 order 1 unit (1/3 = 0.3333),
//	     return 0, feedback 1 of which bad 1: rate 1/3 = 0.3333, bad rate 1. First 2024-03-01
//	     02:00:00, last 2024-05-05 03:00:00. Shops 1, 2, 3.
//	bob: 2 orders, 4 units, $40.00 (per 20.00), CNY 280.00, USD 40.00; return 1 order 2 units
//	     (0.5); feedback 1 (0.5), bad 0. First 2024-02-15 22:00:00, last 2024-05-01 11:00:00. Shop 1.
//	carl: 1 order, 1 unit, $40.00, CNY 280.00; feedback 1 bad 1 (rates 1, 1). 2024-03-20 08:00:00. Shop 3.
//	dana: 2 orders, 3 units; latest D2 in s3 → USD. £10 → 1000×9/7 = 1285.71 → $12.86; amount
//	     $22.86 (per 11.43); CNY 90+70 = 160.00; refund 1 order 2 units (0.5), return 1 order 1 unit
//	     (0.5), feedback 0. First 2024-01-05 09:00:00, last 2024-06-01 05:00:00. Shops 2, 3.
//	eve: 1 order, 2 units, $20.00, CNY 140.00; feedback 1 bad 0 (1, 0). 2024-03-01 02:00:00. Shop 1.
//
// Over sid 1: ann has A1 only: 1 order, 2 units, $20.00, CNY 140.00, refund 1/1 (rate 1),
// no feedback, 2024-03-01 02:00:00 both; bob and eve as above; 3 buyers.
//
// Over sids 1,3 (both USD): ann A1+A3: 2 orders, 3 units, $35.00 (per 17.50), CNY 245.00,
// refund 1 unit 1 (0.5), no feedback, first 03-01 02:00:00, last 05-05 03:00:00, shops 1, 3;
// dana D2 only: 1 order, 1 unit, $10.00, CNY 70.00, 06-01 05:00:00, shop 3; 5 buyers.
//
// Over sids 1,2 (USD and GBP): ann A1+A2, latest in s2 → GBP: $20 → 2000×7/9 = 1555.56 → £15.56,
// amount £45.56 (per 22.78), CNY 410.00, USD 20+38.57 = 58.57; refund 1/1 (0.5), feedback 1 bad 1
// (0.5, 1); first 03-01 02:00:00, last 04-10 13:00:00; dana D1 only: 1 order, 2 units, £10.00,
// CNY 90.00, USD 12.86, refund 1 order 2 units (1), return 1 order 1 unit (1), 01-05 09:00:00,
// shop 2; 4 buyers.
//
// Sorting: amounts in the original currency are compared as they are when the selected shops
// share one currency, in CNY when they do not (all shops; sids 1,2).
func buyerFixture(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx := context.Background()
	for _, sh := range []*shopcrm.Shop{{SID: 1, Name: "US One", Marketplace: "US"}, {SID: 2, Name: "UK", Marketplace: "UK"},
		{SID: 3, Name: "US Two", Marketplace: "US"}} {
		if err := s.CreateShop(ctx, sh); err != nil {
			t.Fatal(err)
		}
	}
	setRate(t, s, "USD", 7_000_000)
	setRate(t, s, "GBP", 9_000_000)
	at := func(v string) time.Time { tm, _ := time.Parse(time.RFC3339, v); return tm }
	order := func(sid int64, num, email, name, when, cur string, qty int64, price shopcrm.Amount) *shopcrm.Order {
		return &shopcrm.Order{SID: sid, Number: num, BuyerEmail: email, BuyerName: name, PurchaseTime: at(when),
			Status: "Shipped", Currency: cur, SalesChannel: "Amazon.com", Items: []shopcrm.OrderItem{{SKU: "S-" + num, Quantity: qty, Price: price}}}
	}
	orders := []*shopcrm.Order{
		order(1, "A1", "ann@x.com", "Ann Lee", "2024-03-01T10:00:00Z", "USD", 2, 2000),
		order(2, "A2", "ann@x.com", "Ann Lee", "2024-04-10T12:00:00Z", "GBP", 1, 3000),
		order(3, "A3", "ann@x.com", "Ann Lee", "2024-05-05T10:00:00Z", "USD", 1, 1500),
		order(1, "B1", "bob@y.com", "Bob Stone", "2024-02-16T06:00:00Z", "USD", 1, 1000),
		order(1, "B2", "bob@y.com", "Bob Stone", "2024-05-01T18:00:00Z", "USD", 3, 3000),
		order(3, "C1", "CARL@x.com", "Carl Ann", "2024-03-20T15:00:00Z", "USD", 1, 4000),
		order(2, "D1", "dana@z.com", "Dana", "2024-01-05T09:00:00Z", "GBP", 2, 1000),
		order(3, "D2", "dana@z.com", "Dana", "2024-06-01T12:00:00Z", "USD", 1, 1000),
		order(1, "E1", "eve@x.com", "Eve", "2024-03-01T10:00:00Z", "USD", 2, 2000),
		order(1, "E2", "eve@x.com", "Eve", "2024-07-01T00:00:00Z", "USD", 1, 9900),
		order(1, "E3", "eve@x.com", "Eve", "2024-07-02T00:00:00Z", "USD", 1, 5000),
	}
	orders[9].Status = "Cancelled"
	orders[10].SalesChannel = "Non-Amazon"
	if _, err := s.UpsertOrders(ctx, orders); err != nil {
		t.Fatal(err)
	}
	after := func(id string, sid int64, num string, typ int, qty int64) *shopcrm.AfterSale {
		return &shopcrm.AfterSale{ItemIdentifier: id, SID: sid, OrderNumber: num, Type: typ, SKU: "S-" + num, Quantity: qty,
			Time: at("2024-06-10T00:00:00Z")}
	}
	if _, err := s.UpsertAfterSales(ctx, []*shopcrm.AfterSale{
		after("ra1", 1, "A1", shopcrm.AfterSaleRefund, 1), after("tb2", 1, "B2", shopcrm.AfterSaleReturn, 2),
		after("rd1", 2, "D1", shopcrm.AfterSaleRefund, 2), after("td1", 2, "D1", shopcrm.AfterSaleReturn, 1),
	}); err != nil {
		t.Fatal(err)
	}
	fb := func(sid int64, num string, rating int) *shopcrm.Feedback {
		return &shopcrm.Feedback{SID: sid, OrderNumber: num, Rating: rating, Date: at("2024-06-11T00:00:00Z")}
	}
	if _, err := s.UpsertFeedback(ctx, []*shopcrm.Feedback{fb(2, "A2", 1), fb(1, "B1", 5), fb(3, "C1", 2), fb(1, "E1", 4)}); err != nil {
		t.Fatal(err)
	}
	ann := customerID(t, s, "ann@x.com")
	note := "vip"
	if _, err := s.UpdateCustomer(ctx, ann, shopcrm.CustomerUpdate{Note: &note}); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"VIP", "2024", "empty"} {
		seg := &shopcrm.Segment{Title: title}
		if err := s.CreateSegment(ctx, seg); err != nil {
			t.Fatal(err)
		}
		if title != "empty" {
			if err := s.AddSegmentCustomers(ctx, seg.ID, []int64{ann}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func setRate(t *testing.T, s *sqlstore.Store, currency string, rate shopcrm.Rate) {
	t.Helper()
	if err := s.SetMyRate(context.Background(), "2024-01", currency, rate); err != nil {
		t.Fatal(err)
	}
}

func customerID(t *testing.T, s *sqlstore.Store, email string) int64 {
	t.Helper()
	var id int64
	if err := s.DB().QueryRow(`SELECT id FROM customers WHERE email_key = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// buyerLine is a row of the list as the tests compare it.
type buyerLine struct {
	Email, Name                                     string
	SIDs                                            []int64
	Orders, Units                                   int64
	Amount, Currency, Per, CNY, USD                 string
	Refund, RefundUnits, Return, ReturnUnits        int64
	Feedback, FeedbackBad                           int64
	RefundRate, ReturnRate, FeedbackRate, FBBadRate float64
	First, Last, Remark                             string
	Group                                           []string
}

func lineOf(r *shopcrm.BuyerRow) buyerLine {
	return buyerLine{Email: r.Email, Name: r.Name, SIDs: r.SIDs, Orders: r.Orders, Units: r.Units,
		Amount: r.Amount.String(), Currency: r.Currency, Per: r.PerCustomerAmount.String(),
		CNY: r.AmountCNY.String(), USD: r.AmountUSD.String(),
		Refund: r.RefundOrders, RefundUnits: r.RefundUnits, Return: r.ReturnOrders, ReturnUnits: r.ReturnUnits,
		Feedback: r.FeedbackCount, FeedbackBad: r.FeedbackBad,
		RefundRate: r.RefundRate(), ReturnRate: r.ReturnRate(), FeedbackRate: r.FeedbackRate(), FBBadRate: r.FeedbackBadRate(),
		First: r.FirstPurchase.Format("2006-01-02 15:04:05"), Last: r.LastPurchase.Format("2006-01-02 15:04:05"),
		Remark: r.Remark, Group: r.Segments}
}

// The hand-worked rows (see buyerFixture), in currency_type 0.
var (
	annAll = buyerLine{Email: "ann@x.com", Name: "Ann Lee", SIDs: []int64{1, 2, 3}, Orders: 3, Units: 4,
		Amount: "73.57", Currency: "USD", Per: "24.52", CNY: "515.00", USD: "73.57", Refund: 1, RefundUnits: 1,
		Feedback: 1, FeedbackBad: 1, RefundRate: 0.3333, FeedbackRate: 0.3333, FBBadRate: 1,
		First: "2024-03-01 02:00:00", Last: "2024-05-05 03:00:00", Remark: "vip", Group: []string{"VIP", "2024"}}
	bobAll = buyerLine{Email: "bob@y.com", Name: "Bob Stone", SIDs: []int64{1}, Orders: 2, Units: 4,
		Amount: "40.00", Currency: "USD", Per: "20.00", CNY: "280.00", USD: "40.00", Return: 1, ReturnUnits: 2,
		Feedback: 1, ReturnRate: 0.5, FeedbackRate: 0.5,
		First: "2024-02-15 22:00:00", Last: "2024-05-01 11:00:00", Group: []string{}}
	carlAll = buyerLine{Email: "CARL@x.com", Name: "Carl Ann", SIDs: []int64{3}, Orders: 1, Units: 1,
		Amount: "40.00", Currency: "USD", Per: "40.00", CNY: "280.00", USD: "40.00", Feedback: 1, FeedbackBad: 1,
		FeedbackRate: 1, FBBadRate: 1, First: "2024-03-20 08:00:00", Last: "2024-03-20 08:00:00", Group: []string{}}
	danaAll = buyerLine{Email: "dana@z.com", Name: "Dana", SIDs: []int64{2, 3}, Orders: 2, Units: 3,
		Amount: "22.86", Currency: "USD", Per: "11.43", CNY: "160.00", USD: "22.86", Refund: 1, RefundUnits: 2,
		Return: 1, ReturnUnits: 1, RefundRate: 0.5, ReturnRate: 0.5,
		First: "2024-01-05 09:00:00", Last: "2024-06-01 05:00:00", Group: []string{}}
	eveAll = buyerLine{Email: "eve@x.com", Name: "Eve", SIDs: []int64{1}, Orders: 1, Units: 2,
		Amount: "20.00", Currency: "USD", Per: "20.00", CNY: "140.00", USD: "20.00", Feedback: 1, FeedbackRate: 1,
		First: "2024-03-01 02:00:00", Last: "2024-03-01 02:00:00", Group: []string{}}

	ann1 = buyerLine{Email: "ann@x.com", Name: "Ann Lee", SIDs: []int64{1}, Orders: 1, Units: 2,
		Amount: "20.00", Currency: "USD", Per: "20.00", CNY: "140.00", USD: "20.00", Refund: 1, RefundUnits: 1, RefundRate: 1,
		First: "2024-03-01 02:00:00", Last: "2024-03-01 02:00:00", Remark: "vip", Group: []string{"VIP", "2024"}}
	ann13 = buyerLine{Email: "ann@x.com", Name: "Ann Lee", SIDs: []int64{1, 3}, Orders: 2, Units: 3,
		Amount: "35.00", Currency: "USD", Per: "17.50", CNY: "245.00", USD: "35.00", Refund: 1, RefundUnits: 1, RefundRate: 0.5,
		First: "2024-03-01 02:00:00", Last: "2024-05-05 03:00:00", Remark: "vip", Group: []string{"VIP", "2024"}}
	dana3 = buyerLine{Email: "dana@z.com", Name: "Dana", SIDs: []int64{3}, Orders: 1, Units: 1,
		Amount: "10.00", Currency: "USD", Per: "10.00", CNY: "70.00", USD: "10.00",
		First: "2024-06-01 05:00:00", Last: "2024-06-01 05:00:00", Group: []string{}}
	ann12 = buyerLine{Email: "ann@x.com", Name: "Ann Lee", SIDs: []int64{1, 2}, Orders: 2, Units: 3,
		Amount: "45.56", Currency: "GBP", Per: "22.78", CNY: "410.00", USD: "58.57", Refund: 1, RefundUnits: 1, RefundRate: 0.5,
		Feedback: 1, FeedbackBad: 1, FeedbackRate: 0.5, FBBadRate: 1,
		First: "2024-03-01 02:00:00", Last: "2024-04-10 13:00:00", Remark: "vip", Group: []string{"VIP", "2024"}}
	dana2 = buyerLine{Email: "dana@z.com", Name: "Dana", SIDs: []int64{2}, Orders: 1, Units: 2,
		Amount: "10.00", Currency: "GBP", Per: "10.00", CNY: "90.00", USD: "12.86", Refund: 1, RefundUnits: 2,
		Return: 1, ReturnUnits: 1, RefundRate: 1, ReturnRate: 1,
		First: "2024-01-05 09:00:00", Last: "2024-01-05 09:00:00", Group: []string{}}
)

// sortKey is the value a sort field compares in a line, by the rule of the fixture comment.
func sortKey(l buyerLine, field string, mixed bool) float64 {
	money := func(s string) float64 { a, _ := shopcrm.ParseAmount(s); return float64(a) }
	amount, per := money(l.Amount), money(l.Per)
	if mixed {
		amount = money(l.CNY)
		per = float64((int64(amount) + l.Orders/2) / l.Orders)
	}
	date := func(s string) float64 { t, _ := time.Parse("2006-01-02 15:04:05", s); return float64(t.Unix()) }
	return map[string]float64{
		"order_items": float64(l.Orders), "volume": float64(l.Units), "amount": amount, "per_customer_transaction": per,
		"refund_number": float64(l.Refund), "refund_sales_number": float64(l.RefundUnits), "refund_rate": l.RefundRate,
		"return_number": float64(l.Return), "return_sales_number": float64(l.ReturnUnits), "return_rate": l.ReturnRate,
		"feedback_number": float64(l.Feedback), "feedback_bad_number": float64(l.FeedbackBad),
		"feedback_rate": l.FeedbackRate, "feedback_bad_rate": l.FBBadRate,
		"first_purchase_date": date(l.First), "last_purchase_date": date(l.Last),
	}[field]
}

func findLines(t *testing.T, s *sqlstore.Store, f shopcrm.BuyerFilter) ([]buyerLine, int) {
	t.Helper()
	rows, total, err := s.FindBuyers(context.Background(), f)
	if err != nil {
		t.Fatalf("%+v: %v", f, err)
	}
	lines := make([]buyerLine, len(rows))
	for k, r := range rows {
		lines[k] = lineOf(r)
	}
	return lines, total
}

func TestFindBuyers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		buyerFixture(t, s)
		selections := []struct {
			name  string
			sids  []int64
			mixed bool
			lines []buyerLine
		}{
			{"all", nil, true, []buyerLine{annAll, bobAll, carlAll, danaAll, eveAll}},
			{"sid1", []int64{1}, false, []buyerLine{ann1, bobAll, eveAll}},
			{"sids13", []int64{1, 3}, false, []buyerLine{ann13, bobAll, carlAll, dana3, eveAll}},
			{"sids12", []int64{1, 2}, true, []buyerLine{ann12, bobAll, dana2, eveAll}},
			{"sids123", []int64{3, 1, 2}, true, []buyerLine{annAll, bobAll, carlAll, danaAll, eveAll}},
		}
		for _, sel := range selections {
			t.Run(sel.name, func(t *testing.T) {
				for field := range shopcrm.BuyerSortFields {
					for _, desc := range []bool{false, true} {
						want := slices.Clone(sel.lines)
						slices.SortStableFunc(want, func(a, b buyerLine) int {
							c := cmp.Compare(sortKey(a, field, sel.mixed), sortKey(b, field, sel.mixed))
							if desc {
								c = -c
							}
							if c == 0 {
								c = cmp.Compare(lower(a.Email), lower(b.Email))
							}
							return c
						})
						got, total := findLines(t, s, shopcrm.BuyerFilter{SIDs: sel.sids, SortField: field, SortDesc: desc})
						if total != len(want) {
							t.Errorf("%s desc=%v: total %d, want %d", field, desc, total, len(want))
						}
						if diff := gocmp.Diff(want, got); diff != "" {
							t.Errorf("%s desc=%v (-want +got):\n%s", field, desc, diff)
						}
					}
				}
			})
		}
		t.Run("DefaultSortAndPages", func(t *testing.T) {
			// last_purchase_date: dana 06-01, ann 05-05, bob 05-01, carl 03-20, eve 03-01
			got, total := findLines(t, s, shopcrm.BuyerFilter{SortDesc: true, Offset: 1, Limit: 2})
			if total != 5 || len(got) != 2 || got[0].Email != "ann@x.com" || got[1].Email != "bob@y.com" {
				t.Errorf("page 2 of 2: total %d, %v", total, emails(got))
			}
			got, total = findLines(t, s, shopcrm.BuyerFilter{Offset: 5})
			if total != 5 || len(got) != 0 {
				t.Errorf("past the end: total %d, %v", total, emails(got))
			}
		})
		t.Run("TieByEmail", func(t *testing.T) {
			// ann and eve first bought at the same moment; bob and dana both have 2 orders.
			got, _ := findLines(t, s, shopcrm.BuyerFilter{SortField: "first_purchase_date", SIDs: []int64{1}})
			if e := emails(got); !slices.Equal(e, []string{"bob@y.com", "ann@x.com", "eve@x.com"}) {
				t.Errorf("first_purchase_date asc over sid 1: %v", e)
			}
			got, _ = findLines(t, s, shopcrm.BuyerFilter{SortField: "order_items", SortDesc: true})
			if e := emails(got); !slices.Equal(e, []string{"ann@x.com", "bob@y.com", "dana@z.com", "CARL@x.com", "eve@x.com"}) {
				t.Errorf("order_items desc: %v", e)
			}
		})
		t.Run("Dates", func(t *testing.T) {
			day := func(v string) time.Time { d, _ := time.Parse("2006-01-02", v); return d }
			for _, c := range []struct {
				field, start, end string
				sids              []int64
				want              []string
			}{
				{"last_purchase_date", "2024-05-01", "2024-05-31", nil, []string{"ann@x.com", "bob@y.com"}},
				{"2", "2024-05-01", "2024-05-31", nil, []string{"ann@x.com", "bob@y.com"}},
				{"1", "2024-03-01", "2024-03-01", nil, []string{"ann@x.com", "eve@x.com"}},
				// bob's first purchase is 2024-02-16 in UTC but 02-15 in Los Angeles.
				{"first_purchase_date", "2024-02-16", "2024-02-16", nil, nil},
				{"first_purchase_date", "2024-02-15", "2024-02-15", nil, []string{"bob@y.com"}},
				{"first_purchase_date", "", "2024-02-15", nil, []string{"bob@y.com", "dana@z.com"}},
				{"first_purchase_date", "2024-03-02", "", nil, []string{"CARL@x.com"}},
				// over sids 1,2 ann's last purchase is A2 (04-10); over all shops it is A3.
				{"last_purchase_date", "2024-04-10", "2024-04-10", []int64{1, 2}, []string{"ann@x.com"}},
				{"last_purchase_date", "2024-04-10", "2024-04-10", nil, nil},
			} {
				f := shopcrm.BuyerFilter{DateField: c.field, SIDs: c.sids, SortField: "volume", SortDesc: true}
				if c.start != "" {
					f.Start = day(c.start)
				}
				if c.end != "" {
					f.End = day(c.end)
				}
				got, total := findLines(t, s, f)
				slices.SortFunc(got, func(a, b buyerLine) int { return cmp.Compare(a.Email, b.Email) })
				if e := emails(got); total != len(c.want) || !slices.Equal(e, c.want) && len(c.want)+len(e) > 0 {
					t.Errorf("%s %s..%s %v: total %d %v, want %v", c.field, c.start, c.end, c.sids, total, e, c.want)
				}
			}
			// The date selects buyers; it does not narrow what their figures count.
			got, _ := findLines(t, s, shopcrm.BuyerFilter{DateField: "2", Start: day("2024-05-05"), End: day("2024-05-05")})
			if diff := gocmp.Diff([]buyerLine{annAll}, got); diff != "" {
				t.Errorf("ann by last purchase (-want +got):\n%s", diff)
			}
		})
		t.Run("Search", func(t *testing.T) {
			for _, c := range []struct {
				field, value string
				sids         []int64
				want         []string
			}{
				{"buyer_email", "X.COM", nil, []string{"CARL@x.com", "ann@x.com", "eve@x.com"}},
				{"", "x.com", nil, []string{"CARL@x.com", "ann@x.com", "eve@x.com"}},
				{"buyer_email", "n@x", nil, []string{"ann@x.com"}},
				{"buyer_email", "carl@x.com", nil, []string{"CARL@x.com"}},
				{"buyer_email", "x.com", []int64{1}, []string{"ann@x.com", "eve@x.com"}},
				{"buyer_email", "nobody", nil, nil},
				{"buyer_name", "ann", nil, []string{"CARL@x.com", "ann@x.com"}},
				{"buyer_name", "ANN L", nil, []string{"ann@x.com"}},
				{"buyer_name", "a", []int64{2}, []string{"ann@x.com", "dana@z.com"}},
			} {
				got, total := findLines(t, s, shopcrm.BuyerFilter{SearchField: c.field, SearchValue: c.value, SIDs: c.sids, SortField: "volume"})
				slices.SortFunc(got, func(a, b buyerLine) int { return cmp.Compare(a.Email, b.Email) })
				if e := emails(got); total != len(c.want) || !slices.Equal(e, c.want) && len(c.want)+len(e) > 0 {
					t.Errorf("%s %q %v: total %d %v, want %v", c.field, c.value, c.sids, total, e, c.want)
				}
			}
		})
		t.Run("Currencies", func(t *testing.T) {
			check := func(ct int, want map[string][3]string) {
				t.Helper()
				got, _ := findLines(t, s, shopcrm.BuyerFilter{CurrencyType: ct, SortField: "amount", SortDesc: true})
				for _, l := range got {
					if w, ok := want[l.Email]; ok && [3]string{l.Amount, l.Currency, l.Per} != w {
						t.Errorf("currency_type %d %s: %s %s per %s, want %v", ct, l.Email, l.Amount, l.Currency, l.Per, w)
					}
				}
			}
			check(shopcrm.CurrencyOriginal, map[string][3]string{"ann@x.com": {"73.57", "USD", "24.52"}, "dana@z.com": {"22.86", "USD", "11.43"}})
			check(shopcrm.CurrencyCNY, map[string][3]string{"ann@x.com": {"515.00", "CNY", "171.67"}, "dana@z.com": {"160.00", "CNY", "80.00"}})
			check(shopcrm.CurrencyUSD, map[string][3]string{"ann@x.com": {"73.57", "USD", "24.52"}, "dana@z.com": {"22.86", "USD", "11.43"}})
			// GBP at 10.00 from 2024-01: £30 → 3000×10/7 = 4285.71 → $42.86, ann $20+42.86+15 = $77.86
			// (per 25.95), CNY 140+300+105 = 545.00 (181.67); dana £10 → $14.29, $24.29 (12.15 — 2429/2
			// = 1214.5 rounds up), CNY 100+70 = 170.00 (85.00). Over sids 1,2 ann shows £: $20 → 2000×7/10
			// = £14.00, £44.00 (22.00).
			setRate(t, s, "GBP", 10_000_000)
			check(shopcrm.CurrencyCNY, map[string][3]string{"ann@x.com": {"545.00", "CNY", "181.67"}, "dana@z.com": {"170.00", "CNY", "85.00"}})
			check(shopcrm.CurrencyUSD, map[string][3]string{"ann@x.com": {"77.86", "USD", "25.95"}, "dana@z.com": {"24.29", "USD", "12.15"}})
			got, _ := findLines(t, s, shopcrm.BuyerFilter{SIDs: []int64{1, 2}, SearchValue: "ann@"})
			if len(got) != 1 || got[0].Amount != "44.00" || got[0].Currency != "GBP" || got[0].Per != "22.00" {
				t.Errorf("ann over sids 1,2 at GBP 10.00: %+v", got)
			}
			setRate(t, s, "GBP", 9_000_000)
		})
		t.Run("Invalid", func(t *testing.T) {
			for _, c := range []struct {
				f      shopcrm.BuyerFilter
				fields []string
			}{
				{shopcrm.BuyerFilter{SortField: "email"}, []string{"sort_field"}},
				{shopcrm.BuyerFilter{DateField: "3"}, []string{"date_field"}},
				{shopcrm.BuyerFilter{Start: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), End: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)}, []string{"start_date"}},
				{shopcrm.BuyerFilter{CurrencyType: 3}, []string{"currency_type"}},
				{shopcrm.BuyerFilter{SearchField: "phone", SearchValue: "1"}, []string{"search_field"}},
				{shopcrm.BuyerFilter{Offset: -1}, []string{"offset"}},
				{shopcrm.BuyerFilter{Limit: 201}, []string{"length"}},
				{shopcrm.BuyerFilter{Limit: -1}, []string{"length"}},
				{shopcrm.BuyerFilter{SIDs: []int64{0}}, []string{"sids"}},
				{shopcrm.BuyerFilter{SIDs: []int64{1, 99}}, []string{"sids"}},
				{shopcrm.BuyerFilter{SortField: "x", Offset: -1, Limit: 500}, []string{"sort_field", "offset", "length"}},
			} {
				_, _, err := s.FindBuyers(context.Background(), c.f)
				var fields []string
				for _, fe := range shopcrm.ErrorFields(err) {
					fields = append(fields, fe.Field)
				}
				if shopcrm.ErrorCode(err) != shopcrm.EINVALID || !slices.Equal(fields, c.fields) {
					t.Errorf("%+v: %v, want invalid %v", c.f, err, c.fields)
				}
			}
			// 200 rows is the most a page may ask for.
			if _, _, err := s.FindBuyers(context.Background(), shopcrm.BuyerFilter{Limit: 200}); err != nil {
				t.Error(err)
			}
		})
		t.Run("Changes", func(t *testing.T) {
			ctx := context.Background()
			at := func(v string) time.Time { tm, _ := time.Parse(time.RFC3339, v); return tm }
			// A new buyer and a new order of bob's reach the next request.
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{
				{SID: 2, Number: "Z1", BuyerEmail: "zed@x.com", BuyerName: "Zed", PurchaseTime: at("2024-08-01T12:00:00Z"),
					Status: "Shipped", Currency: "GBP", Items: []shopcrm.OrderItem{{SKU: "z", Quantity: 1, Price: 500}}},
				{SID: 1, Number: "B3", BuyerEmail: "bob@y.com", PurchaseTime: at("2024-08-02T12:00:00Z"),
					Status: "Shipped", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "b", Quantity: 1, Price: 100}}},
			}); err != nil {
				t.Fatal(err)
			}
			got, total := findLines(t, s, shopcrm.BuyerFilter{SortField: "last_purchase_date", SortDesc: true, Limit: 2})
			if total != 6 || len(got) != 2 || got[0].Email != "bob@y.com" || got[0].Orders != 3 || got[1].Email != "zed@x.com" {
				t.Errorf("after new orders: total %d %+v", total, got)
			}
			// A renamed buyer is found by the new name, even by a search made (and kept)
			// before the rename; a deleted one is gone.
			if got, _ := findLines(t, s, shopcrm.BuyerFilter{SearchField: "buyer_name", SearchValue: "zoe"}); len(got) != 0 {
				t.Errorf("before the rename: %+v", got)
			}
			name := "Zoe Zed"
			if _, err := s.UpdateCustomer(ctx, customerID(t, s, "zed@x.com"), shopcrm.CustomerUpdate{FullName: &name}); err != nil {
				t.Fatal(err)
			}
			if got, _ := findLines(t, s, shopcrm.BuyerFilter{SearchField: "buyer_name", SearchValue: "zoe"}); len(got) != 1 || got[0].Name != "Zoe Zed" {
				t.Errorf("renamed: %+v", got)
			}
			if err := s.DeleteCustomer(ctx, customerID(t, s, "zed@x.com")); err != nil {
				t.Fatal(err)
			}
			if _, total := findLines(t, s, shopcrm.BuyerFilter{}); total != 5 {
				t.Errorf("after delete: total %d", total)
			}
		})
		t.Run("FoldedRowsFollowChanges", func(t *testing.T) {
			// Ann over shops 1 and 3 is folded from her orders and kept for the next page;
			// a new order of hers in shop 3 must show on the next request.
			ctx := context.Background()
			ann := func() buyerLine {
				t.Helper()
				got, _ := findLines(t, s, shopcrm.BuyerFilter{SIDs: []int64{1, 3}, SearchField: "buyer_email", SearchValue: "ann@"})
				if len(got) != 1 {
					t.Fatalf("ann over shops 1 and 3: %+v", got)
				}
				return got[0]
			}
			if got := ann(); got.Orders != ann13.Orders || got.Units != ann13.Units {
				t.Fatalf("before: %+v", got)
			}
			at, _ := time.Parse(time.RFC3339, "2024-09-01T12:00:00Z")
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: 3, Number: "A9", BuyerEmail: "ann@x.com", PurchaseTime: at,
				Status: "Shipped", Currency: "EUR", Items: []shopcrm.OrderItem{{SKU: "a", Quantity: 1, Price: 100}}}}); err != nil {
				t.Fatal(err)
			}
			if got := ann(); got.Orders != ann13.Orders+1 || got.Units != ann13.Units+1 {
				t.Errorf("after a new order in shop 3: %+v", got)
			}
		})
	})
}

func emails(lines []buyerLine) []string {
	out := []string{}
	for _, l := range lines {
		out = append(out, l.Email)
	}
	return out
}

func lower(s string) string {
	b := []byte(s)
	for k, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[k] = c + 32
		}
	}
	return string(b)
}

// TestFindBuyersConcurrent reads the list from several goroutines while orders arrive; run
// with -race. Every reply must be consistent with some moment: a total never goes down, and
// the page never holds more buyers than the total.
func TestFindBuyersConcurrent(t *testing.T) {
	s := storetest.MustOpen(t)
	ctx := context.Background()
	for sid, mkt := range map[int64]string{1: "US", 2: "UK", 3: "DE"} {
		if err := s.CreateShop(ctx, &shopcrm.Shop{SID: sid, Name: mkt, Marketplace: mkt}); err != nil {
			t.Fatal(err)
		}
	}
	defer sqlstore.ListSetsOfAnySize()()
	done := make(chan struct{})
	errs := make(chan error, 8)
	for g := 0; g < 4; g++ {
		go func() {
			last := 0
			for {
				select {
				case <-done:
					errs <- nil
					return
				default:
				}
				// Two goroutines ask for all shops, two for shops 1 and 2, whose buyers of
				// several shops are folded and kept per set.
				f := shopcrm.BuyerFilter{SortField: "order_items", SortDesc: g%2 == 0, Limit: 50}
				if g >= 2 {
					f.SIDs = []int64{1, 2}
				}
				rows, total, err := s.FindBuyers(ctx, f)
				if err == nil && (total < last || len(rows) > total) {
					err = fmt.Errorf("total %d after %d, %d rows", total, last, len(rows))
				}
				if err != nil {
					errs <- err
					return
				}
				last = total
			}
		}()
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for b := 0; b < 20; b++ {
		var orders []*shopcrm.Order
		for k := 0; k < 50; k++ {
			n := b*50 + k
			orders = append(orders, &shopcrm.Order{SID: int64(1 + n%3), Number: fmt.Sprint("C", n), BuyerEmail: fmt.Sprintf("c%d@x.com", n%300),
				PurchaseTime: base.Add(time.Duration(n) * time.Hour), Status: "Shipped", Currency: "USD",
				Items: []shopcrm.OrderItem{{SKU: "s", Quantity: 1, Price: 100}}})
		}
		if _, err := s.UpsertOrders(ctx, orders); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if _, total, err := s.FindBuyers(ctx, shopcrm.BuyerFilter{}); err != nil || total != 300 {
		t.Fatalf("total %d, %v; want 300", total, err)
	}
}
