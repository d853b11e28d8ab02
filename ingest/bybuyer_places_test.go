package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// firstMonth is a shipments report of one order for each of buyers 29 down to 10, so that a
// store importing it in file order gives buyer29 the lowest customer id and buyer10 the
// highest; buyers 0–9 of byBuyerReport stay new.
func firstMonth() string {
	var b strings.Builder
	b.WriteString("amazon-order-id\tshipment-id\tpurchase-date\tbuyer-email\tbuyer-name\tsku\tquantity-shipped\tcurrency\titem-price\tsales-channel\n")
	when := time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC)
	for n := 29; n >= 10; n-- {
		fmt.Fprintf(&b, "222-%07d-%07d\tS%d\t%s\tbuyer%02d@marketplace.amazon.com\tBuyer\tSKU-Z\t1\tUSD\t5.00\tAmazon.com\n",
			n, n, n, when.Add(time.Duration(n)*time.Hour).Format(time.RFC3339), n)
	}
	return b.String()
}

// Into a store that has some of its buyers, a report written buyer by buyer leaves the
// same orders and figures as in file order, and writes the stored buyers first, in the
// order of their customer ids, then the new ones (bybuyer_places.go). The buyers are looked
// up four at a time, so rows wait for lookups while later ones are read.
func TestImportByBuyerStoredBuyers(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	defer ingest.SetLocateBatch(4)()
	dir := t.TempDir()
	first := writeFile(t, dir, "first.txt", firstMonth())
	path := writeFile(t, dir, "shipments.txt", byBuyerReport())
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		inOrder := storetest.MustOpen(t)
		for _, st := range []*sqlstore.Store{s, inOrder} {
			mustShop(t, st, 1, "US")
			if _, err := (&ingest.Importer{Store: st}).ImportFile(ctx, 1, ingest.FBAShipments, first); err != nil {
				t.Fatal(err)
			}
		}
		want, err := (&ingest.Importer{Store: inOrder, Batch: 40}).ImportFile(ctx, 1, ingest.FBAShipments, path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := (&ingest.Importer{Store: s, Batch: 40, ByBuyer: true}).ImportFile(ctx, 1, ingest.FBAShipments, path)
		if err != nil {
			t.Fatal(err)
		}
		if got.Rows != want.Rows || !cmp.Equal(got.Skips, want.Skips) || got.Inserted != 240 {
			t.Errorf("by buyer: %d rows, %+v, skipped %v; in file order %d rows, skipped %v", got.Rows, got.WriteResult, got.Skips, want.Rows, want.Skips)
		}
		wantLines, wantFigures := storeState(t, inOrder)
		lines, figs := storeState(t, s)
		if diff := cmp.Diff(wantLines, lines); diff != "" {
			t.Errorf("order lines, by buyer against file order (-file order +by buyer):\n%s", diff)
		}
		if diff := cmp.Diff(wantFigures, figs); diff != "" {
			t.Errorf("figures, by buyer against file order (-file order +by buyer):\n%s", diff)
		}
		// The buyers of the report's orders in the order the orders were written.
		written := storetest.Texts(t, s, `SELECT c.email_key FROM orders o JOIN customers c ON c.id = o.customer_id
			WHERE o.number LIKE '111-%' ORDER BY o.id`)
		var buyers []string
		for _, email := range written {
			if len(buyers) == 0 || buyers[len(buyers)-1] != email {
				buyers = append(buyers, email)
			}
		}
		var wantBuyers []string
		for n := 29; n >= 10; n-- {
			wantBuyers = append(wantBuyers, fmt.Sprintf("buyer%02d@marketplace.amazon.com", n))
		}
		if len(buyers) != 30 || !slices.Equal(buyers[:20], wantBuyers) {
			t.Errorf("buyers in the order their orders were written:\n%s\nwant each once, buyer29 down to buyer10 first",
				strings.Join(buyers, "\n"))
		}
	})
}

// failingLocator is a store whose lookups of buyers fail.
type failingLocator struct{ *sqlstore.Store }

func (failingLocator) CustomerIDs(context.Context, []string) (map[string]int64, error) {
	return nil, errors.New("disk I/O error")
}

// A lookup that fails stops the import before anything is written, and says what failed.
func TestImportByBuyerLookupFails(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	defer ingest.SetLocateBatch(4)()
	defer ingest.SetSpoolChunk(2)() // the failure stops the reading goroutine mid-file
	dir := t.TempDir()
	first := writeFile(t, dir, "first.txt", firstMonth())
	path := writeFile(t, dir, "shipments.txt", byBuyerReport())
	s := storetest.MustOpen(t)
	mustShop(t, s, 1, "US")
	ctx := context.Background()
	if _, err := (&ingest.Importer{Store: s}).ImportFile(ctx, 1, ingest.FBAShipments, first); err != nil {
		t.Fatal(err)
	}
	_, err := (&ingest.Importer{Store: failingLocator{s}, ByBuyer: true}).ImportFile(ctx, 1, ingest.FBAShipments, path)
	if err == nil || !strings.Contains(err.Error(), "finding the report's buyers among the customers: disk I/O error") {
		t.Fatalf("import with a failing lookup: %v, want the lookup's error", err)
	}
	if n := storetest.Texts(t, s, `SELECT number FROM orders WHERE number LIKE '111-%'`); len(n) != 0 {
		t.Errorf("%d of the report's orders written, want none", len(n))
	}
}
