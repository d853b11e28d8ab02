package ingest_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/shopcrm/shopcrm/amazon"
	"github.com/shopcrm/shopcrm/bench"
	"github.com/shopcrm/shopcrm/storetest"
)

// BenchmarkImportFloor is the baseline beside BenchmarkImportOrders/…/shipments: the same
// report's buyers, orders and lines in a single transaction with no figures, no merging and
// no idempotence, the report parsed before the clock starts (package bench, as `shopcrm
// bench import` times it). raw-sql is what a first attempt would do, a prepared INSERT per
// row; multi-row (SQLite) writes the rows with 32-row INSERTs, as the store does, so it is
// the engine's cost for the rows alone. Same SHOPCRM_BENCH_ORDERS as BenchmarkImportOrders.
func BenchmarkImportFloor(b *testing.B) {
	n := 50000
	if v, err := strconv.Atoi(os.Getenv("SHOPCRM_BENCH_ORDERS")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "shipments.txt")
	writeShipments(b, path, n)
	lines, err := bench.ReadShipments(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, write := range []struct {
		name string
		fn   func(context.Context, *sql.DB, []amazon.Shipment) error
	}{{"sqlite/shipments/raw-sql", bench.RawShipments}, {"sqlite/shipments/raw-sql/multi-row", bench.MultiRowShipments}} {
		b.Run(write.name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db, err := bench.OpenFloorSQLite(ctx, filepath.Join(b.TempDir(), "shopcrm.db"))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := write.fn(ctx, db, lines); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
	b.Run("postgres/shipments/raw-sql", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			_, url := storetest.MustOpenPostgresURL(b)
			db, err := sql.Open("pgx", url)
			if err != nil {
				b.Fatal(err)
			}
			if err := bench.FloorShop(ctx, db); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := bench.RawShipments(ctx, db, lines); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			db.Close()
			b.StartTimer()
		}
		b.ReportMetric(float64(len(lines)*b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
