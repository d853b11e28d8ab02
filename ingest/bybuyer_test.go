package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// byBuyerReport is a shipments report with what reordering could get wrong: 30 buyers
// whose orders interleave, orders whose second parcel comes at the end of the file, rows
// without a shipment item id (numbered within the file: the same shipment and SKU twice
// is two parcels), multi-channel rows without a buyer, a buyer written in two cases, and
// bad rows (an empty SKU, a date that is not one, a date out of range).
func byBuyerReport() string {
	var b strings.Builder
	b.WriteString("amazon-order-id\tshipment-id\tpurchase-date\tshipment-date\tbuyer-email\tbuyer-name\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\titem-tax\tsales-channel\n")
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	row := func(order, shipment int, email, sku string, qty int, when time.Time) {
		fmt.Fprintf(&b, "111-%07d-%07d\tS%d\t%s\t%s\t%s\tBuyer\t%s\tMug « %s »\t%d\tUSD\t%d.50\t0.40\tAmazon.com\n", order, order,
			shipment, when.Format(time.RFC3339), when.Add(time.Hour).Format(time.RFC3339), email, sku, sku, qty, 3*qty)
	}
	var late []func()
	for i := range 240 {
		email := fmt.Sprintf("buyer%02d@marketplace.amazon.com", i*7%30)
		switch {
		case i%41 == 0:
			email = "" // multi-channel: no buyer
		case i%13 == 0:
			email = strings.ToUpper(email)
		}
		when := base.Add(time.Duration(i) * 7 * time.Hour)
		row(i, i, email, "SKU-A", 1+i%3, when)
		if i%4 == 0 {
			row(i, i, email, fmt.Sprintf("SKU-%c", 'B'+i%5), 1, when)
		}
		if i%9 == 0 {
			row(i, i, email, "SKU-A", 1, when) // same shipment and SKU: parcel #2
		}
		if i%10 == 3 {
			late = append(late, func() { row(i, 1000+i, email, "SKU-A", 2, when) }) // split shipment
		}
		switch i {
		case 50:
			fmt.Fprintf(&b, "111-%07d-%07d\tS1\t%s\t\tbad@x.com\tBad\t\tMug\t1\tUSD\t1.00\t0\tAmazon.com\n", 5000, 5000, when.Format(time.RFC3339))
		case 120:
			fmt.Fprintf(&b, "111-%07d-%07d\tS1\tyesterday\t\tbad@x.com\tBad\tSKU-A\tMug\t1\tUSD\t1.00\t0\tAmazon.com\n", 5001, 5001)
		case 200:
			fmt.Fprintf(&b, "111-%07d-%07d\tS1\t9999-01-01T00:00:00Z\t\tbad@x.com\tBad\tSKU-A\tMug\t1\tUSD\t1.00\t0\tAmazon.com\n", 5002, 5002)
		}
	}
	for _, f := range late {
		f()
	}
	return b.String()
}

// storeState is every order line with its buyer and parcels, and every figures row.
func storeState(t *testing.T, s *sqlstore.Store) ([]string, []figures) {
	t.Helper()
	lines := storetest.Texts(t, s, `SELECT o.number || ' ' || coalesce(c.email_key, '-') || ' ' || o.status || ' ' ||
		CAST(o.purchase_time AS TEXT) || ' ' || CAST(o.updated_time AS TEXT) || ' ' || o.currency || ' ' || o.sales_channel || ' ' || i.sku || ' ' || i.title || ' ' ||
		CAST(i.quantity AS TEXT) || ' ' || CAST(i.price AS TEXT) || ' ' || CAST(i.tax AS TEXT) || ' ' || i.parcels
		FROM orders o JOIN order_items i ON i.order_id = o.id LEFT JOIN customers c ON c.id = o.customer_id ORDER BY 1`)
	return lines, readFigures(t, s)
}

// Written buyer by buyer, a report leaves the store as written in file order: the same
// orders, lines, parcels, buyers and figures, the same skipped rows; and importing it again
// changes nothing.
func TestImportByBuyer(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	defer ingest.SetSpoolChunk(3)()  // the first pass hands rows over many times, in file order
	defer ingest.SetSampleRows(50)() // the new buyers' ranges are cut in the middle of the file
	path := writeFile(t, t.TempDir(), "shipments.txt", byBuyerReport())
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		inOrder := storetest.MustOpen(t)
		mustShop(t, inOrder, 1, "US")
		want, err := (&ingest.Importer{Store: inOrder, Batch: 40}).ImportFile(ctx, 1, ingest.FBAShipments, path)
		if err != nil {
			t.Fatal(err)
		}
		wantLines, wantFigures := storeState(t, inOrder)
		im := &ingest.Importer{Store: s, Batch: 40, ByBuyer: true}
		got, err := im.ImportFile(ctx, 1, ingest.FBAShipments, path)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != want.Rows || !cmp.Equal(got.Skips, want.Skips) || got.Skipped != 3 {
			t.Errorf("by buyer: %d rows, skipped %v; in file order %d rows, skipped %v (want 3)", got.Rows, got.Skips, want.Rows, want.Skips)
		}
		// In file order a split shipment's order is inserted by one batch and updated by a
		// later one; buyer by buyer its lines meet in one batch (a buyer has 8 orders, a
		// batch 40).
		if got.WriteResult != (shopcrm.WriteResult{Inserted: 240}) || want.Updated == 0 {
			t.Errorf("by buyer: %+v, want 240 orders inserted, none updated (in file order %+v)", got.WriteResult, want.WriteResult)
		}
		lines, figs := storeState(t, s)
		if diff := cmp.Diff(wantLines, lines); diff != "" {
			t.Errorf("order lines, by buyer against file order (-file order +by buyer):\n%s", diff)
		}
		if diff := cmp.Diff(wantFigures, figs); diff != "" {
			t.Errorf("figures, by buyer against file order (-file order +by buyer):\n%s", diff)
		}
		again, err := im.ImportFile(ctx, 1, ingest.FBAShipments, path)
		if err != nil {
			t.Fatal(err)
		}
		if again.WriteResult != (shopcrm.WriteResult{Unchanged: got.Inserted}) {
			t.Errorf("second import by buyer: %+v, want all %d orders unchanged", again.WriteResult, got.Inserted)
		}
		if err := s.Reindex(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
			t.Errorf("figures after reindex (-file order +reindexed):\n%s", diff)
		}
	})
}

// Into a store without customers, a report written buyer by buyer creates its buyers in the
// order of their e-mail addresses: each batch is a run of neighbouring addresses. Here the
// whole file is the sample, so every address has a range of its own.
func TestImportByBuyerAddressOrder(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	path := writeFile(t, t.TempDir(), "shipments.txt", byBuyerReport())
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		mustShop(t, s, 1, "US")
		im := &ingest.Importer{Store: s, Batch: 40, ByBuyer: true}
		if _, err := im.ImportFile(context.Background(), 1, ingest.FBAShipments, path); err != nil {
			t.Fatal(err)
		}
		keys := storetest.Texts(t, s, `SELECT email_key FROM customers ORDER BY id`)
		if len(keys) != 30 || !slices.IsSorted(keys) {
			t.Errorf("customers by id: %q, want the 30 buyers in address order", keys)
		}
	})
}

// Without room for the spool the import stops before writing anything, and says why.
func TestImportByBuyerNoSpool(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	path := writeFile(t, t.TempDir(), "shipments.txt", byBuyerReport())
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	s := storetest.MustOpen(t)
	mustShop(t, s, 1, "US")
	_, err := (&ingest.Importer{Store: s, ByBuyer: true}).ImportFile(context.Background(), 1, ingest.FBAShipments, path)
	if err == nil || !strings.Contains(err.Error(), "spooling rows by buyer (in $TMPDIR") || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("import without a temporary directory: %v, want the spool's error naming the directory", err)
	}
	if n := storetest.Texts(t, s, `SELECT number FROM orders`); len(n) != 0 {
		t.Errorf("%d orders written, want none", len(n))
	}
}

// byBuyerNDJSON is an orders-ndjson file with what reordering could get wrong: 30 buyers
// whose orders interleave, a later copy of an order (replaces it) and an older one (does
// not), catalogue entries between the orders, buyers' mobiles and coupon codes, an order
// without a buyer, and bad lines.
func byBuyerNDJSON() string {
	var b strings.Builder
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	order := func(i int, email string, updated time.Time, status string) {
		fmt.Fprintf(&b, `{"order_number":"W%04d","purchase_time":%q,"updated_time":%q,"buyer_email":%q,"buyer_name":"Buyer","buyer_mobile":"+1 555 %04d","currency":"USD","status":%q,"coupon_code":"C%d","items":[{"sku":"A","quantity":%d,"unit_price":"9.50"},{"sku":"B","quantity":1,"price":"3.25","tax":"0.30"}]}`+"\n",
			i, base.Add(time.Duration(i)*5*time.Hour).Format(time.RFC3339), updated.Format(time.RFC3339), email, i%7, status, i%3, 1+i%4)
	}
	for i := range 200 {
		email := fmt.Sprintf("buyer%02d@shop.example", i*7%30)
		if i%37 == 0 {
			email = ""
		}
		updated := base.Add(time.Duration(i) * 5 * time.Hour)
		order(i, email, updated, "paid")
		switch {
		case i%11 == 0 && i > 0:
			order(i-5, fmt.Sprintf("buyer%02d@shop.example", (i-5)*7%30), updated.Add(time.Hour), "refunded") // a later copy
		case i%13 == 0:
			order(i, email, updated.Add(-time.Hour), "cancelled") // an older copy: ignored
		case i%17 == 0:
			fmt.Fprintf(&b, `{"type":"product","msku":"M%d","asin":"B%d","item_name":"Mug %d"}`+"\n", i, i, i)
		case i == 50:
			b.WriteString("{not json\n")
		case i == 120:
			b.WriteString(`{"order_number":"X1","purchase_time":"yesterday","buyer_email":"bad@x.com","items":[{"sku":"A","quantity":1}]}` + "\n")
		}
	}
	return b.String()
}

// orders-ndjson written buyer by buyer leaves the store as in file order.
func TestImportByBuyerNDJSON(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	path := writeFile(t, t.TempDir(), "orders.ndjson", byBuyerNDJSON())
	state := func(s *sqlstore.Store) ([]string, []figures, []string) {
		lines, figs := storeState(t, s)
		lines = append(lines, storetest.Texts(t, s, `SELECT o.number || ' ' || o.coupon_code || ' ' || c.mobile FROM orders o
			JOIN customers c ON c.id = o.customer_id ORDER BY 1`)...)
		return lines, figs, storetest.Texts(t, s, `SELECT msku || ' ' || asin || ' ' || title FROM products ORDER BY 1`)
	}
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		inOrder := storetest.MustOpen(t)
		mustShop(t, inOrder, 1, "US")
		want, err := (&ingest.Importer{Store: inOrder, Batch: 30}).ImportFile(ctx, 1, ingest.OrdersNDJSON, path)
		if err != nil {
			t.Fatal(err)
		}
		wantLines, wantFigures, wantProducts := state(inOrder)
		im := &ingest.Importer{Store: s, Batch: 30, ByBuyer: true}
		got, err := im.ImportFile(ctx, 1, ingest.OrdersNDJSON, path)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != want.Rows || !cmp.Equal(got.Skips, want.Skips) || got.Skipped != 2 {
			t.Errorf("by buyer: %d rows, skipped %v; in file order %d rows, skipped %v (want 2)", got.Rows, got.Skips, want.Rows, want.Skips)
		}
		lines, figs, products := state(s)
		if diff := cmp.Diff(wantLines, lines); diff != "" {
			t.Errorf("orders, by buyer against file order (-file order +by buyer):\n%s", diff)
		}
		if diff := cmp.Diff(wantFigures, figs); diff != "" {
			t.Errorf("figures, by buyer against file order (-file order +by buyer):\n%s", diff)
		}
		if diff := cmp.Diff(wantProducts, products); diff != "" || len(products) != 10 {
			t.Errorf("catalogue, by buyer against file order (-file order +by buyer; want 10 entries):\n%s", diff)
		}
		again, err := im.ImportFile(ctx, 1, ingest.OrdersNDJSON, path)
		if err != nil {
			t.Fatal(err)
		}
		if again.Inserted != 0 || again.Updated != 0 {
			t.Errorf("second import by buyer: %+v, want nothing inserted or updated", again.WriteResult)
		}
	})
}

// progressLog records what an import tells its progress bar.
type progressLog struct{ offsets []int64 }

func (p *progressLog) Advance(offset int64) { p.offsets = append(p.offsets, offset) }
func (p *progressLog) Finish()              {}

// Buyer by buyer the bar moves forward only: through its first twentieth while the file is
// read, over the rest while the rows are written, and ends at the file's size.
func TestImportByBuyerProgress(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	path := t.TempDir() + "/shipments.txt"
	writeShipments(t, path, 3000)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	s := storetest.MustOpen(t)
	mustShop(t, s, 1, "US")
	log := &progressLog{}
	im := &ingest.Importer{Store: s, ByBuyer: true, Batch: 500,
		Progress: func(string, int64) ingest.Progress { return log }}
	if _, err := im.ImportFile(context.Background(), 1, ingest.FBAShipments, path); err != nil {
		t.Fatal(err)
	}
	got := log.offsets
	if len(got) < 10 || got[len(got)-1] != st.Size() {
		t.Fatalf("%d reports ending at %v, want many ending at the size %d", len(got), got[len(got)-1:], st.Size())
	}
	reading := 0
	for i, v := range got {
		if i > 0 && v < got[i-1] {
			t.Fatalf("report %d went back from %d to %d", i, got[i-1], v)
		}
		if v <= st.Size()/20 {
			reading++
		}
	}
	if reading < 3 || reading == len(got) {
		t.Errorf("%d of %d reports within the first twentieth; want the reading there and the writing past it", reading, len(got))
	}
}
