package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// writeShipments writes an FBA shipments report of n orders from n/3 buyers spread over the
// file, 1–3 items per order, every fifth item shipped in two parcels. It returns n.
func writeShipments(tb testing.TB, path string, n int) int {
	tb.Helper()
	writeReport(tb, path, "amazon-order-id\tshipment-id\tshipment-item-id\tpurchase-date\tshipment-date\tbuyer-email\tbuyer-name\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\titem-tax\tsales-channel",
		n, func(w *bufio.Writer, i, item int, when string) int {
			buyer := (i * 7919) % max(1, n/3)
			parcels := 1 + min(1, (i+item)%5/4)
			for p := range parcels {
				fmt.Fprintf(w, "%s\tS%d-%d\tSI%d-%d-%d\t%s\t%s\tb%07d@marketplace.amazon.com\tBuyer %d\tSKU-%d\tMug model %d\t1\tUSD\t%d.99\t0.80\tAmazon.com\n",
					orderID(i), i, p, i, item, p, when, when, buyer, buyer, item, item, 10+item)
			}
			return parcels
		})
	return n
}

// writeAllOrders writes the All Orders report of the same n orders: one line per item, its
// quantity and amounts the sums of the item's parcels in writeShipments, as the two reports
// of one order agree.
func writeAllOrders(tb testing.TB, path string, n int) {
	tb.Helper()
	writeReport(tb, path, "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax",
		n, func(w *bufio.Writer, i, item int, when string) int {
			parcels := 1 + min(1, (i+item)%5/4)
			price, tax := parcels*(1099+100*item), parcels*80
			fmt.Fprintf(w, "%s\t%s\t%s\tShipped\tAmazon\tAmazon.com\tMug model %d\tSKU-%d\tB00000000%d\tShipped\t%d\tUSD\t%d.%02d\t%d.%02d\n",
				orderID(i), when, when, item, item, item, parcels, price/100, price%100, tax/100, tax%100)
			return 1
		})
}

// benchBatch is SHOPCRM_BENCH_BATCH, the records per transaction of the batched runs
// (0 = ingest.DefaultBatch).
var benchBatch, _ = strconv.Atoi(os.Getenv("SHOPCRM_BENCH_BATCH"))

func orderID(i int) string { return fmt.Sprintf("%03d-%07d-%07d", 100+i%900, i, i%9999991) }

func writeReport(tb testing.TB, path, header string, n int, line func(w *bufio.Writer, i, item int, when string) int) int {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(header + "\n")
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := 0
	for i := range n {
		when := base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		for item := range 1 + i%3 {
			rows += line(w, i, item, when)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return rows
}

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
