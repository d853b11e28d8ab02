package storetest_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// The fixture: buyer a@x.com with
//
//	U1 shop 1 (US, USD, Los Angeles) 2024-03-01 10:00Z: A ×2 $20.00, B ×1 $5.00 cancelled line
//	U2 shop 1 2024-03-05 08:00Z, order cancelled: C ×1 $10.00
//	K1 shop 2 (UK, GBP, London) 2024-04-10 12:00Z: D ×3 £30.00
//	refund of 1 A and return of 1 A on U1, exchange of 1 D on K1; feedback 5★ on U1, 1★ on K1.
//
// Default rates (CNY per unit) in force in 2024: USD 7.18, GBP 9.18. By hand, all shops:
//
//	orders 2 (U2 is cancelled), units 2+3 = 5; currency GBP (latest purchase is in shop 2)
//	amount = 30.00 + 20.00×7.18/9.18 (= 15.6427 → 15.64) = £45.64; per order 22.82
//	CNY = 20×7.18 + 30×9.18 = 143.60 + 275.40 = 419.00; USD = 20 + 30×9.18/7.18 (38.36) = 58.36
//	refund 1 order 1 unit, return 1/1, exchange 1/1, feedback 2 of which 1 bad
//	rates: refund 0.5, return 0.5, feedback 1.0, bad 0.5
//	first purchase 2024-03-01 02:00:00 (PST), last 2024-04-10 13:00:00 (BST)
func fixture(t *testing.T, s *sqlstore.Store) { fixtureIn(t, context.Background(), s) }

// fixtureIn writes the fixture through ctx (a Bulk's, say).
func fixtureIn(t *testing.T, ctx context.Context, s *sqlstore.Store) {
	for _, sh := range []*shopcrm.Shop{{SID: 1, Name: "US", Marketplace: "US"}, {SID: 2, Name: "UK", Marketplace: "UK"}} {
		if err := s.CreateShop(ctx, sh); err != nil {
			t.Fatal(err)
		}
	}
	res, err := s.UpsertOrders(ctx, fixtureOrders())
	if err != nil || res != (shopcrm.WriteResult{Inserted: 3}) {
		t.Fatalf("orders: %+v, %v", res, err)
	}
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	res, err = s.UpsertAfterSales(ctx, []*shopcrm.AfterSale{
		{ItemIdentifier: "r1", SID: 1, OrderNumber: "U1", Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1, Time: at("2024-03-10T00:00:00Z"),
			AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -1000}}, CostDetails: []shopcrm.MoneyDetail{{Type: "Commission", Amount: 150}}},
		{ItemIdentifier: "t1", SID: 1, OrderNumber: "U1", Type: shopcrm.AfterSaleReturn, SKU: "A", Quantity: 1, Time: at("2024-03-12T00:00:00Z"), LPN: "LPN1"},
		{ItemIdentifier: "x1", SID: 2, OrderNumber: "K1", Type: shopcrm.AfterSaleExchange, SKU: "D", Quantity: 1, Time: at("2024-04-20T00:00:00Z")},
	})
	if err != nil || res.Inserted != 3 {
		t.Fatalf("after-sales: %+v, %v", res, err)
	}
	res, err = s.UpsertFeedback(ctx, []*shopcrm.Feedback{
		{SID: 1, OrderNumber: "U1", Rating: 5, Date: at("2024-03-08T00:00:00Z")},
		{SID: 2, OrderNumber: "K1", Rating: 1, Date: at("2024-04-22T00:00:00Z"), Comment: "late"},
	})
	if err != nil || res.Inserted != 2 {
		t.Fatalf("feedback: %+v, %v", res, err)
	}
}

func fixtureOrders() []*shopcrm.Order {
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	return []*shopcrm.Order{
		{SID: 1, Number: "U1", BuyerEmail: "A@x.com", BuyerName: "Ann", PurchaseTime: at("2024-03-01T10:00:00Z"), UpdatedTime: at("2024-03-02T00:00:00Z"),
			Status: "Shipped", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 2, Price: 2000}, {SKU: "B", Quantity: 1, Price: 500, Status: "Cancelled"}}},
		{SID: 1, Number: "U2", BuyerEmail: "a@x.com", PurchaseTime: at("2024-03-05T08:00:00Z"), UpdatedTime: at("2024-03-05T09:00:00Z"),
			Status: "Cancelled", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "C", Quantity: 1, Price: 1000}}},
		{SID: 2, Number: "K1", BuyerEmail: "a@x.com", PurchaseTime: at("2024-04-10T12:00:00Z"), UpdatedTime: at("2024-04-11T00:00:00Z"),
			Status: "Shipped", Currency: "GBP", Items: []shopcrm.OrderItem{{SKU: "D", Quantity: 3, Price: 3000}}},
	}
}

// figureRow is what the tests read back of customer_figures.
type figureRow struct {
	Email, Name                                          string // the keys the customer list searches
	SID, Orders, Units, Amount                           int64
	Currency                                             string
	CNY, USD, PerCustomer                                int64
	RefundOrders, RefundUnits, RefundRate                int64
	ReturnOrders, ReturnUnits, ReturnRate                int64
	ExchangeOrders, ExchangeUnits                        int64
	Feedback, FeedbackBad, FeedbackRate, FeedbackBadRate int64
	First, Last                                          string
}

func readFigures(t *testing.T, s *sqlstore.Store) []figureRow {
	t.Helper()
	rows, err := s.DB().Query(`SELECT email_key, name_key, sid, orders, units, amount, currency, amount_cny, amount_usd, per_customer,
		refund_orders, refund_units, refund_rate, return_orders, return_units, return_rate, exchange_orders, exchange_units,
		feedback_count, feedback_bad, feedback_rate, feedback_bad_rate, first_purchase, last_purchase
		FROM customer_figures_expanded ORDER BY customer_id, sid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []figureRow
	for rows.Next() {
		var r figureRow
		if err := rows.Scan(&r.Email, &r.Name, &r.SID, &r.Orders, &r.Units, &r.Amount, &r.Currency, &r.CNY, &r.USD, &r.PerCustomer,
			&r.RefundOrders, &r.RefundUnits, &r.RefundRate, &r.ReturnOrders, &r.ReturnUnits, &r.ReturnRate,
			&r.ExchangeOrders, &r.ExchangeUnits, &r.Feedback, &r.FeedbackBad, &r.FeedbackRate, &r.FeedbackBadRate,
			&r.First, &r.Last); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

var wantFigures = []figureRow{
	{Email: "a@x.com", Name: "ann", SID: 0, Orders: 2, Units: 5, Amount: 4564, Currency: "GBP", CNY: 41900, USD: 5836, PerCustomer: 2282,
		RefundOrders: 1, RefundUnits: 1, RefundRate: 5000, ReturnOrders: 1, ReturnUnits: 1, ReturnRate: 5000,
		ExchangeOrders: 1, ExchangeUnits: 1, Feedback: 2, FeedbackBad: 1, FeedbackRate: 10000, FeedbackBadRate: 5000,
		First: "2024-03-01 02:00:00", Last: "2024-04-10 13:00:00"},
	{Email: "a@x.com", Name: "ann", SID: 1, Orders: 1, Units: 2, Amount: 2000, Currency: "USD", CNY: 14360, USD: 2000, PerCustomer: 2000,
		RefundOrders: 1, RefundUnits: 1, RefundRate: 10000, ReturnOrders: 1, ReturnUnits: 1, ReturnRate: 10000,
		Feedback: 1, FeedbackRate: 10000, First: "2024-03-01 02:00:00", Last: "2024-03-01 02:00:00"},
	{Email: "a@x.com", Name: "ann", SID: 2, Orders: 1, Units: 3, Amount: 3000, Currency: "GBP", CNY: 27540, USD: 3836, PerCustomer: 3000,
		ExchangeOrders: 1, ExchangeUnits: 1, Feedback: 1, FeedbackBad: 1, FeedbackRate: 10000, FeedbackBadRate: 10000,
		First: "2024-04-10 13:00:00", Last: "2024-04-10 13:00:00"},
}

func TestIngestFigures(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		fixture(t, s)
		if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
			t.Fatalf("figures after import (-want +got):\n%s", diff)
		}
		t.Run("ReimportUnchanged", func(t *testing.T) {
			res, err := s.UpsertOrders(ctx, fixtureOrders())
			if err != nil || res != (shopcrm.WriteResult{Unchanged: 3}) {
				t.Fatalf("re-import: %+v, %v", res, err)
			}
			if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
				t.Fatalf("figures changed (-want +got):\n%s", diff)
			}
		})
		t.Run("Reindex", func(t *testing.T) {
			if err := s.Reindex(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
				t.Fatalf("figures after reindex (-want +got):\n%s", diff)
			}
		})
		t.Run("OlderCopyKeepsStatus", func(t *testing.T) {
			old := fixtureOrders()[0]
			old.Status, old.UpdatedTime = "Pending", old.UpdatedTime.Add(-time.Hour)
			res, err := s.UpsertOrders(ctx, []*shopcrm.Order{old})
			if err != nil || res.Updated != 0 {
				t.Fatalf("older copy: %+v, %v", res, err)
			}
		})
		t.Run("StatusUpdate", func(t *testing.T) {
			// A later copy of U2 un-cancels it: $10.00 in March 2024 joins the figures.
			u2 := fixtureOrders()[1]
			u2.Status, u2.UpdatedTime = "Shipped", u2.UpdatedTime.Add(24*time.Hour)
			u2.BuyerEmail = "" // All Orders reports carry no buyer: the link must stay
			res, err := s.UpsertOrders(ctx, []*shopcrm.Order{u2})
			if err != nil || res.Updated != 1 {
				t.Fatalf("update: %+v, %v", res, err)
			}
			got := readFigures(t, s)[0]
			if got.Orders != 3 || got.Units != 6 || got.CNY != 41900+7180 {
				t.Fatalf("after status update: %+v", got)
			}
		})
		t.Run("TwoCopiesInOneCall", func(t *testing.T) {
			// Changes to stored orders are written in bulk after the batch is merged: of two
			// newer copies of U1 in one call, the store must end with the later one.
			first, second := fixtureOrders()[0], fixtureOrders()[0]
			first.Status, first.UpdatedTime = "Unshipped", first.UpdatedTime.Add(2*time.Hour)
			second.Status, second.UpdatedTime = "Shipped", second.UpdatedTime.Add(3*time.Hour)
			if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{first, second}); err != nil {
				t.Fatal(err)
			}
			var status string
			var updated int64
			err := s.DB().QueryRow(`SELECT status, updated_time FROM orders WHERE sid = 1 AND number = 'U1'`).Scan(&status, &updated)
			if err != nil || status != "Shipped" || updated != second.UpdatedTime.Unix() {
				t.Fatalf("U1 = %q at %d, %v; want Shipped at %d", status, updated, err, second.UpdatedTime.Unix())
			}
		})
		t.Run("MyRate", func(t *testing.T) {
			// 2024-03 USD at 7.00: U1 and U2 are March orders: 30×7.00 + 275.40 = 485.40.
			if err := s.SetMyRate(ctx, "2024-03", "USD", 7_000_000); err != nil {
				t.Fatal(err)
			}
			if got := readFigures(t, s)[0]; got.CNY != 48540 {
				t.Fatalf("amount_cny = %d, want 48540", got.CNY)
			}
			rates, err := s.FindRates(ctx, "2024-03")
			if err != nil {
				t.Fatal(err)
			}
			var usd *shopcrm.ExchangeRate
			for _, r := range rates {
				if r.Currency == "USD" {
					usd = r
				}
			}
			if usd == nil || usd.MyRate != 7_000_000 || usd.Official != 7_180_000 || usd.Month != "2024-03" {
				t.Fatalf("USD rate = %+v", usd)
			}
		})
		t.Run("AfterSaleAndFeedbackChanges", func(t *testing.T) {
			at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
			// K1's feedback twice in one call, 1★ then 4★: the last copy stands, so K1 has no
			// bad feedback left; the first copy is superseded, not counted. U1's 5★ is unchanged.
			res, err := s.UpsertFeedback(ctx, []*shopcrm.Feedback{
				{SID: 2, OrderNumber: "K1", Rating: 1, Date: at("2024-04-22T00:00:00Z"), Comment: "late"},
				{SID: 1, OrderNumber: "U1", Rating: 5, Date: at("2024-03-08T00:00:00Z")},
				{SID: 2, OrderNumber: "K1", Rating: 4, Date: at("2024-04-23T00:00:00Z"), Comment: "arrived"},
			})
			if err != nil || res != (shopcrm.WriteResult{Updated: 1, Unchanged: 1}) {
				t.Fatalf("feedback: %+v, %v", res, err)
			}
			// The return t1 on U1 becomes a second refund line: U1 stays the one refunded
			// order and no order is returned any more.
			res, err = s.UpsertAfterSales(ctx, []*shopcrm.AfterSale{
				{ItemIdentifier: "x1", SID: 2, OrderNumber: "K1", Type: shopcrm.AfterSaleExchange, SKU: "D", Quantity: 1, Time: at("2024-04-20T00:00:00Z")},
				{ItemIdentifier: "t1", SID: 1, OrderNumber: "U1", Type: shopcrm.AfterSaleRefund, SKU: "A", Quantity: 1, Time: at("2024-03-12T00:00:00Z"), LPN: "LPN1"},
			})
			if err != nil || res != (shopcrm.WriteResult{Updated: 1, Unchanged: 1}) {
				t.Fatalf("after-sales: %+v, %v", res, err)
			}
			got := readFigures(t, s)
			all := got[0]
			if all.Feedback != 2 || all.FeedbackBad != 0 || all.FeedbackBadRate != 0 || all.RefundOrders != 1 ||
				all.RefundUnits != 2 || all.ReturnOrders != 0 || all.ReturnRate != 0 || all.ExchangeOrders != 1 {
				t.Fatalf("all shops after the changes: %+v", all)
			}
			if err := s.Reindex(ctx); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, readFigures(t, s)); diff != "" {
				t.Fatalf("kept figures differ from a recompute (-kept +recomputed):\n%s", diff)
			}
		})
		t.Run("ErrInvalidOrder", func(t *testing.T) {
			_, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: 1}})
			if shopcrm.ErrorCode(err) != shopcrm.EINVALID {
				t.Fatalf("err = %v", err)
			}
		})
	})
}
