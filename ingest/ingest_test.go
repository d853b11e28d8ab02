package ingest_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// The fixtures in testdata/ are one US shop (sid 1, USD, America/Los_Angeles: PST until
// 2024-03-10, PDT after), imported in this order:
//
//	shipments.txt  orders 1, 2 (Alice), 3 (Bob), 4 (Carol). Order 1's SKU-RED ships in two
//	               parcels of 1 × $10.00 each: one item, 2 units, $20.00. Order 1 = 2 RED
//	               $20.00 + 1 BLUE $15.50; order 2 = 1 RED $10.00; order 3 = 3 GRN $45.00;
//	               order 4 = 1 BLUE $15.50.
//	orders.ndjson  two catalogue entries; Carol's FBM orders 5 (1 PUR $30.00 + 2 ORG at
//	               $12.00 = $24.00), 8 (1 RED $10.00, Unshipped) and 9 (cancelled).
//	all-orders.txt no buyers. Order 1 again (adds ASINs); order 4 gains a cancelled line
//	               (YEL, qty 0); order 8 goes Unshipped → Shipped (same amounts); order 10
//	               is multi-channel (Non-Amazon): it has no buyer and counts for no one.
//	fba-returns    1 RED of order 1 (LPN), 2 GRN of order 3 (no LPN: fallback key).
//	mfn-returns    1 PUR of order 5 (StandardRefund: a return), 1 ORG of order 5
//	               (Replacement: an exchange).
//	settlement     refund of 1 GRN on order 3 (Principal, Tax, Shipping; Commission,
//	               RefundCommission) and of 1 RED on order 2 (no adjustment item id).
//	feedback       5★ order 1, 3★ order 3, 1★ order 4.
//
// By hand, per customer (the sid 1 row equals the sid 0 row):
//
//	Alice  orders 2 (1, 2), units 3+1 = 4, amount 35.50+10.00 = 45.50
//	       refund 1 order / 1 unit (order 2), return 1/1 (order 1), exchange 0
//	       feedback 1, bad 0; first 2024-03-01 10:00Z = 02:00:00 PST, last 2024-05-20 18:30Z = 11:30:00 PDT
//	Bob    orders 1, units 3, amount 45.00; refund 1/1, return 1/2, exchange 0; feedback 1 (3★), bad 0
//	       first = last 2024-04-02 07:15Z = 00:15:00 PDT
//	Carol  orders 3 (4, 5, 8; 9 is cancelled), units 1+3+1 = 5, amount 15.50+54.00+10.00 = 79.50
//	       refund 0, return 1/1 (order 5 PUR), exchange 1; feedback 1, bad 1 (1★)
//	       first 2024-06-10 23:45Z = 16:45:00 PDT, last 2024-08-01 06:00Z = 2024-07-31 23:00:00 PDT
var wantFigures = []figures{
	{"a1b2c3@marketplace.amazon.com", 0, 2, 4, 4550, "USD", 1, 1, 1, 1, 0, 1, 0, "2024-03-01 02:00:00", "2024-05-20 11:30:00"},
	{"a1b2c3@marketplace.amazon.com", 1, 2, 4, 4550, "USD", 1, 1, 1, 1, 0, 1, 0, "2024-03-01 02:00:00", "2024-05-20 11:30:00"},
	{"b4d5e6@marketplace.amazon.com", 0, 1, 3, 4500, "USD", 1, 1, 1, 2, 0, 1, 0, "2024-04-02 00:15:00", "2024-04-02 00:15:00"},
	{"b4d5e6@marketplace.amazon.com", 1, 1, 3, 4500, "USD", 1, 1, 1, 2, 0, 1, 0, "2024-04-02 00:15:00", "2024-04-02 00:15:00"},
	{"c7f8g9@marketplace.amazon.com", 0, 3, 5, 7950, "USD", 0, 0, 1, 1, 1, 1, 1, "2024-06-10 16:45:00", "2024-07-31 23:00:00"},
	{"c7f8g9@marketplace.amazon.com", 1, 3, 5, 7950, "USD", 0, 0, 1, 1, 1, 1, 1, "2024-06-10 16:45:00", "2024-07-31 23:00:00"},
}

var fixtureFiles = []struct {
	kind ingest.Kind
	file string
	// what the first import does; the second finds every record unchanged
	first shopcrm.WriteResult
}{
	{ingest.FBAShipments, "testdata/shipments.txt", shopcrm.WriteResult{Inserted: 4}},
	{ingest.OrdersNDJSON, "testdata/orders.ndjson", shopcrm.WriteResult{Inserted: 5}},
	{ingest.AllOrders, "testdata/all-orders.txt", shopcrm.WriteResult{Inserted: 1, Updated: 3}},
	{ingest.FBAReturns, "testdata/fba-returns.txt", shopcrm.WriteResult{Inserted: 2}},
	{ingest.MFNReturns, "testdata/mfn-returns.txt", shopcrm.WriteResult{Inserted: 2}},
	{ingest.Settlement, "testdata/settlement.txt", shopcrm.WriteResult{Inserted: 2}},
	{ingest.Feedback, "testdata/feedback.txt", shopcrm.WriteResult{Inserted: 3}},
}

func TestImportKnownAnswers(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		im := &ingest.Importer{Store: s}
		for round, what := range []string{"first import", "second import"} {
			for _, f := range fixtureFiles {
				res, err := im.ImportFile(ctx, 1, f.kind, f.file)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				want := f.first
				if round == 1 {
					want = shopcrm.WriteResult{Unchanged: f.first.Inserted + f.first.Updated}
				}
				if res.Took <= 0 {
					t.Errorf("%s of %s: no import time recorded", what, f.file)
				}
				if res.WriteResult != want || res.Skipped != 0 {
					t.Errorf("%s of %s: %+v, skipped %v; want %+v", what, f.file, res.WriteResult, res.Skips, want)
				}
			}
			if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
				t.Fatalf("figures after %s (-want +got):\n%s", what, diff)
			}
		}
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
			t.Fatalf("figures after reindex (-want +got):\n%s", diff)
		}
		checkDetails(t, s)
	})
}

// checkDetails looks at what the figures do not show: the merged status, the refund
// details, the keys of the after-sale items and the buyer's mobile.
func checkDetails(t *testing.T, s *sqlstore.Store) {
	db := s.DB()
	var status string
	if err := db.QueryRow(`SELECT status FROM orders WHERE number = '111-0000008-0000008'`).Scan(&status); err != nil || status != "Shipped" {
		t.Errorf("order 8 status %q, %v; want Shipped (later all-orders row)", status, err)
	}
	var amounts, costs string
	err := db.QueryRow(`SELECT amount_details, cost_details FROM after_sales WHERE item_identifier = 'refund:111-0000003-0000003:55501'`).Scan(&amounts, &costs)
	wantA := `[{"type":"Principal","amount":-1500},{"type":"Tax","amount":-120},{"type":"ShippingCharge","amount":-200}]`
	wantC := `[{"type":"Commission","amount":225},{"type":"RefundCommission","amount":-45}]`
	if err != nil || amounts != wantA || costs != wantC {
		t.Errorf("refund details %s %s, %v;\nwant %s %s", amounts, costs, err, wantA, wantC)
	}
	rows, err := db.Query(`SELECT item_identifier, type, quantity FROM after_sales ORDER BY item_identifier`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var id string
		var typ, qty int
		rows.Scan(&id, &typ, &qty)
		got = append(got, id+" "+string(rune('0'+typ))+" "+string(rune('0'+qty)))
	}
	want := []string{
		"fbaret:111-0000003-0000003:SKU-GRN:2024-04-20T09:30:00Z:PHX3 2 2",
		"fbaret:LPNAAA111 2 1",
		"mfnret:111-0000005-0000005:SKU-ORG:GhtRyqfBRRMA 3 1",
		"mfnret:111-0000005-0000005:SKU-PUR:DfqRyqfBRRMA 2 1",
		"refund:111-0000002-0000002:amzn1.adj.2:SKU-RED 1 1",
		"refund:111-0000003-0000003:55501 1 1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("after-sale items (-want +got):\n%s", diff)
	}
	var mobile string
	if err := db.QueryRow(`SELECT mobile FROM customers WHERE email_key = 'c7f8g9@marketplace.amazon.com'`).Scan(&mobile); err != nil || mobile != "+1 555 0100" {
		t.Errorf("Carol's mobile %q, %v", mobile, err)
	}
}
