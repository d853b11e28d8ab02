package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/shopcrm/shopcrm/bench"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// writeShipments writes bench.WriteShipments' report of n orders and returns n.
func writeShipments(tb testing.TB, path string, n int) int {
	tb.Helper()
	if _, err := bench.WriteShipments(path, n); err != nil {
		tb.Fatal(err)
	}
	return n
}

// writeAllOrders writes bench.WriteAllOrders' report of the same n orders.
func writeAllOrders(tb testing.TB, path string, n int) {
	tb.Helper()
	if _, err := bench.WriteAllOrders(path, n); err != nil {
		tb.Fatal(err)
	}
}

// benchBatch is SHOPCRM_BENCH_BATCH, the records per transaction of the batched runs
// (0 = ingest.DefaultBatch).
var benchBatch, _ = strconv.Atoi(os.Getenv("SHOPCRM_BENCH_BATCH"))

// BenchmarkImportOrders imports a generated report into a fresh store per iteration and
// reports data rows per second. SHOPCRM_BENCH_ORDERS sets the orders per file (default
// 50 000; 500 000 orders make about 1.1 million shipment lines).
func BenchmarkImportOrders(b *testing.B) {
	n := 50000
	if v, err := strconv.Atoi(os.Getenv("SHOPCRM_BENCH_ORDERS")); err == nil && v > 0 {
		n = v
	}
	dir := b.TempDir()
	ship, all := filepath.Join(dir, "shipments.txt"), filepath.Join(dir, "all-orders.txt")
	writeShipments(b, ship, n)
	writeAllOrders(b, all, n)
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqlstore.Store
	}{{"sqlite", func(tb testing.TB) *sqlstore.Store { return storetest.MustOpen(tb) }},
		{"postgres", func(tb testing.TB) *sqlstore.Store { return storetest.MustOpenPostgres(tb) }}} {
		for _, f := range []struct {
			name string
			kind ingest.Kind
			path string
		}{{"shipments", ingest.FBAShipments, ship}, {"all-orders", ingest.AllOrders, all}} {
			// batched: ingest.DefaultBatch records per transaction, each with its figures,
			// shipments buyer by buyer as `shopcrm import` writes them; file-order: the same
			// in the file's order; single: import --single-transaction, the figures
			// refreshed once at the end.
			// after-shipments: All Orders batched into a store that holds the shipments
			// report of the same orders (imported before the clock starts), as a seller
			// imports them: every order is updated, none inserted.
			for _, mode := range []string{"", "file-order", "after-shipments", "single"} {
				if mode == "file-order" && f.kind != ingest.FBAShipments {
					continue // ByBuyer reorders shipments only
				}
				if mode == "after-shipments" && f.kind != ingest.AllOrders {
					continue
				}
				single := mode == "single"
				name := engine.name + "/" + f.name
				if mode != "" {
					name += "/" + mode
				}
				b.Run(name, func(b *testing.B) {
					rows := 0
					for b.Loop() {
						b.StopTimer()
						s := engine.open(b)
						mustShop(b, s, 1, "US")
						if mode == "after-shipments" {
							mustBulkImport(b, s, ingest.FBAShipments, ship)
						}
						b.StartTimer()
						im := &ingest.Importer{Store: s, Batch: benchBatch, ByBuyer: mode == ""}
						imp := func(ctx context.Context) error {
							res, err := im.ImportFile(ctx, 1, f.kind, f.path)
							if err == nil {
								rows += res.Rows
							}
							return err
						}
						var err error
						if single {
							err = s.Bulk(context.Background(), imp)
						} else {
							err = imp(context.Background())
						}
						if err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
				})
			}
		}
	}
}

// mustBulkImport imports a file in one transaction, the fastest way to set a store up.
func mustBulkImport(tb testing.TB, s *sqlstore.Store, kind ingest.Kind, path string) {
	tb.Helper()
	im := &ingest.Importer{Store: s}
	err := s.Bulk(context.Background(), func(ctx context.Context) error {
		_, err := im.ImportFile(ctx, 1, kind, path)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
}
