package ingest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// An order line shipped in parcels has a shipments row per parcel, far apart in one report
// or in several. Each parcel counts once, whatever batch or file brings it: order 1 has two
// units of SKU-RED in parcels SI1 and SI4, each $10.00 + $0.80 tax.
func TestImportParcels(t *testing.T) {
	const head = "amazon-order-id\tshipment-id\tshipment-item-id\tpurchase-date\tshipment-date\tbuyer-email\tsku\tquantity-shipped\tcurrency\titem-price\titem-tax\n"
	row := func(order, shipment, item, day string) string {
		return order + "\t" + shipment + "\t" + item + "\t2024-03-01T10:00:00+00:00\t2024-03-0" + day +
			"T08:00:00+00:00\ta@x.com\tSKU-RED\t1\tUSD\t10.00\t0.80\n"
	}
	dir := t.TempDir()
	write := func(name string, rows ...string) string { return writeFile(t, dir, name, head+strings.Join(rows, "")) }
	first, second := row("111-0000001-0000001", "S1", "SI1", "2"), row("111-0000001-0000001", "S4", "SI4", "4")
	between := row("111-0000002-0000002", "S2", "SI2", "2") + row("111-0000003-0000003", "S3", "SI3", "3")
	whole := write("march.txt", first, between, second)
	monday, thursday := write("monday.txt", first, between), write("thursday.txt", second)
	// A report without shipment item ids: the two rows of shipment S1 are two parcels.
	noItemIDs := write("no-ids.txt", row("111-0000001-0000001", "S1", "", "2"), between, row("111-0000001-0000001", "S1", "", "2"))

	type step struct {
		path string
		want shopcrm.WriteResult
	}
	tests := []struct {
		name   string
		batch  int
		single bool // every step in one transaction (import --single-transaction)
		steps  []step
	}{
		{"one batch", 0, false, []step{{whole, shopcrm.WriteResult{Inserted: 3}}, {whole, shopcrm.WriteResult{Unchanged: 3}}}},
		{"a batch per order", 1, false, []step{
			{whole, shopcrm.WriteResult{Inserted: 3, Updated: 1}},
			{whole, shopcrm.WriteResult{Unchanged: 4}},
		}},
		{"a batch per order, one transaction", 1, true, []step{
			{whole, shopcrm.WriteResult{Inserted: 3, Updated: 1}},
			{thursday, shopcrm.WriteResult{Unchanged: 1}},
		}},
		{"two files", 1, false, []step{
			{monday, shopcrm.WriteResult{Inserted: 3}},
			{thursday, shopcrm.WriteResult{Updated: 1}},
			{whole, shopcrm.WriteResult{Unchanged: 4}},
			{thursday, shopcrm.WriteResult{Unchanged: 1}},
		}},
		{"no shipment item ids", 1, false, []step{
			{noItemIDs, shopcrm.WriteResult{Inserted: 3, Updated: 1}},
			{noItemIDs, shopcrm.WriteResult{Unchanged: 4}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
				ctx := context.Background()
				mustShop(t, s, 1, "US")
				im := &ingest.Importer{Store: s, Batch: tt.batch}
				steps := func(ctx context.Context) error {
					for _, st := range tt.steps {
						res, err := im.ImportFile(ctx, 1, ingest.FBAShipments, st.path)
						if err != nil {
							return err
						}
						if res.WriteResult != st.want {
							t.Errorf("%s: %+v, want %+v", filepath.Base(st.path), res.WriteResult, st.want)
						}
					}
					return nil
				}
				var err error
				if tt.single {
					err = s.Bulk(ctx, steps)
				} else {
					err = steps(ctx)
				}
				if err != nil {
					t.Fatal(err)
				}
				var quantity, price, tax int64
				err = s.DB().QueryRow(`SELECT quantity, price, tax FROM order_items i JOIN orders o ON o.id = i.order_id
					WHERE o.number = '111-0000001-0000001'`).Scan(&quantity, &price, &tax)
				if err != nil {
					t.Fatal(err)
				}
				if quantity != 2 || price != 2000 || tax != 160 {
					t.Errorf("order 1: quantity %d, price %d, tax %d; want 2, 2000, 160", quantity, price, tax)
				}
				// The buyer's figures, kept on write and recomputed: 3 orders, 4 units, $40.00.
				kept := readFigures(t, s)
				if len(kept) != 2 || kept[0].Orders != 3 || kept[0].Units != 4 || kept[0].Amount != 4000 {
					t.Errorf("figures %+v, want 3 orders, 4 units, 4000", kept)
				}
				if err := s.Reindex(ctx); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(kept, readFigures(t, s)); diff != "" {
					t.Errorf("figures after reindex (-kept +recomputed):\n%s", diff)
				}
			})
		})
	}
}

// An All Orders copy of the line (both units ordered) between the parcels sets its totals
// and keeps the parcels seen; the second parcel then completes the line, and the first
// imported again changes nothing.
func TestImportParcelsAfterAllOrders(t *testing.T) {
	const shipHead = "amazon-order-id\tshipment-id\tshipment-item-id\tpurchase-date\tshipment-date\tbuyer-email\tsku\tquantity-shipped\tcurrency\titem-price\titem-tax\n"
	parcel := func(item, day string) string {
		return "111-0000001-0000001\tS\t" + item + "\t2024-03-01T10:00:00+00:00\t2024-03-0" + day +
			"T08:00:00+00:00\ta@x.com\tSKU-RED\t1\tUSD\t10.00\t0.80\n"
	}
	dir := t.TempDir()
	monday, thursday := writeFile(t, dir, "monday.txt", shipHead+parcel("SI1", "2")), writeFile(t, dir, "thursday.txt", shipHead+parcel("SI4", "4"))
	allOrders := writeFile(t, dir, "all-orders.txt", "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tsku\tquantity\tcurrency\titem-price\titem-tax\n"+
		"111-0000001-0000001\t2024-03-01T10:00:00+00:00\t2024-03-03T00:00:00+00:00\tShipped\tSKU-RED\t2\tUSD\t20.00\t1.60\n")
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		im := &ingest.Importer{Store: s}
		for _, f := range []struct {
			kind          ingest.Kind
			path          string
			quantity, sum int64
		}{
			{ingest.FBAShipments, monday, 1, 1000},
			{ingest.AllOrders, allOrders, 2, 2000},
			{ingest.FBAShipments, thursday, 2, 2000},
			{ingest.FBAShipments, monday, 2, 2000},
			{ingest.AllOrders, allOrders, 2, 2000},
		} {
			if _, err := im.ImportFile(ctx, 1, f.kind, f.path); err != nil {
				t.Fatal(err)
			}
			var quantity, price int64
			if err := s.DB().QueryRow(`SELECT quantity, price FROM order_items`).Scan(&quantity, &price); err != nil {
				t.Fatal(err)
			}
			if quantity != f.quantity || price != f.sum {
				t.Errorf("after %s: quantity %d, price %d; want %d, %d", filepath.Base(f.path), quantity, price, f.quantity, f.sum)
			}
		}
	})
}
