package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/postgres"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
)

// ImportConfig is what `shopcrm bench import` was asked to do.
type ImportConfig struct {
	Orders   int    // orders per generated report
	Dir      string // where the reports and the SQLite stores are written
	Postgres string // a PostgreSQL server to measure too, in a fresh schema per run; "" = SQLite only
	// Rounds is how many times the SQLite shipments import buyer by buyer and the floor are
	// timed in turn after the table, for their ratio (floorShares); 0 = none.
	Rounds  int
	Command string
}

// importRun is one way of importing one of the reports.
type importRun struct {
	name    string
	kind    ingest.Kind
	byBuyer bool
	single  bool // in one transaction, as import --single-transaction
	// stored is what the store holds before the clock starts: nothing, or the first month's
	// shipments written buyer by buyer (as `shopcrm import` writes them) or in file order
	// (as --single-transaction does). The order decides the ids of customers and orders, and
	// with them which pages a later import's batches touch.
	stored firstMonth
	next   bool // the next month's shipments, not the All Orders of the first month's orders
}

type firstMonth int

const (
	emptyStore firstMonth = iota
	firstByBuyer
	firstInFileOrder
)

var importRuns = []importRun{
	{name: "shipments, buyer by buyer (`import`)", kind: ingest.FBAShipments, byBuyer: true},
	{name: "shipments in file order", kind: ingest.FBAShipments},
	{name: "shipments in one transaction (`import --single-transaction`)", kind: ingest.FBAShipments, single: true},
	{name: "shipments of a second month, the first imported buyer by buyer", kind: ingest.FBAShipments, byBuyer: true,
		stored: firstByBuyer, next: true},
	{name: "shipments of a second month, the first imported in one transaction", kind: ingest.FBAShipments, byBuyer: true,
		stored: firstInFileOrder, next: true},
	{name: "All Orders into an empty store", kind: ingest.AllOrders},
	{name: "All Orders after the shipments imported buyer by buyer", kind: ingest.AllOrders, stored: firstByBuyer},
	{name: "All Orders after the shipments imported in one transaction", kind: ingest.AllOrders, stored: firstInFileOrder},
	{name: "All Orders in one transaction", kind: ingest.AllOrders, single: true},
}

// openFresh opens an empty store, and returns what closes and removes it.
type openFresh func(ctx context.Context, name string) (*sqlstore.Store, func(), error)

// RunImports generates an FBA shipments and an All Orders report of the same cfg.Orders
// orders, and the shipments of as many orders more of the same buyers (a second month);
// imports them, in every way of importRuns, into a fresh store of each engine; and
// writes rows per second as a Markdown table to out, beside the floor: the rows of the
// shipments report written by plain 32-row INSERTs on SQLite, with nothing looked up and
// no figures kept.
func RunImports(ctx context.Context, cfg ImportConfig, out, progress io.Writer) error {
	r := reports{ship: filepath.Join(cfg.Dir, "shipments.txt"), next: filepath.Join(cfg.Dir, "shipments-2.txt"),
		all: filepath.Join(cfg.Dir, "all-orders.txt")}
	fmt.Fprintf(progress, "writing reports of %d orders to %s\n", cfg.Orders, cfg.Dir)
	shipRows, err := WriteShipments(r.ship, cfg.Orders)
	if err != nil {
		return err
	}
	if _, err := WriteNextShipments(r.next, cfg.Orders); err != nil {
		return err
	}
	allRows, err := WriteAllOrders(r.all, cfg.Orders)
	if err != nil {
		return err
	}
	type engine struct {
		name string
		open openFresh
	}
	engines := []engine{{"SQLite", func(ctx context.Context, name string) (*sqlstore.Store, func(), error) {
		path := filepath.Join(cfg.Dir, name+".db")
		s, err := sqlite.Open(ctx, path)
		return s, func() { s.Close(); removeSQLite(path) }, err
	}}}
	if cfg.Postgres != "" {
		engines = append(engines, engine{"PostgreSQL", func(ctx context.Context, _ string) (*sqlstore.Store, func(), error) {
			return openFreshPostgres(ctx, cfg.Postgres)
		}})
	}
	rates := make([][]float64, len(engines))
	for e, engine := range engines {
		for _, run := range importRuns {
			rate, err := timeImport(ctx, engine.open, run, r)
			if err != nil {
				return fmt.Errorf("%s, %s: %w", engine.name, run.name, err)
			}
			fmt.Fprintf(progress, "%s, %s: %.0f rows/s\n", engine.name, run.name, rate)
			rates[e] = append(rates[e], rate)
		}
	}
	floor, err := timeFloor(ctx, r.ship, filepath.Join(cfg.Dir, "floor.db"))
	if err != nil {
		return fmt.Errorf("the floor: %w", err)
	}
	fmt.Fprintf(progress, "floor: %.0f rows/s\n", floor)
	shares, err := floorShares(ctx, engines[0].open, r, filepath.Join(cfg.Dir, "floor.db"), cfg.Rounds, progress)
	if err != nil {
		return err
	}

	fmt.Fprintf(out, "### `shopcrm bench import`, %d orders, %s\n\n", cfg.Orders, time.Now().UTC().Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(out, "- machine: %s\n- reports: FBA shipments of %d rows (%d buyers), All Orders of %d rows, and a second month "+
		"of shipments of as many new orders of the same buyers\n", Machine(), shipRows, max(1, cfg.Orders/3), allRows)
	fmt.Fprintf(out, "- command: `%s`\n\n", cfg.Command)
	fmt.Fprint(out, "| rows/s |")
	for _, engine := range engines {
		fmt.Fprintf(out, " %s |", engine.name)
	}
	fmt.Fprint(out, "\n|---|")
	for range engines {
		fmt.Fprint(out, "---:|")
	}
	fmt.Fprintln(out)
	for i, run := range importRuns {
		fmt.Fprintf(out, "| %s |", run.name)
		for e := range engines {
			fmt.Fprintf(out, " %.0f |", rates[e][i])
		}
		fmt.Fprintln(out)
	}
	fmt.Fprintf(out, "\nThe floor: SQLite writes the shipments report's buyers, orders and lines in 32-row INSERTs, "+
		"with nothing looked up, nothing merged and no figures, at **%.0f** rows/s.\n", floor)
	writeShares(out, shares)
	return nil
}

// floorShare is one round of floorShares: the import's rate and the floor's, timed one
// right after the other.
type floorShare struct{ rate, floor float64 }

// floorShares times the shipments import buyer by buyer on SQLite (the first of
// importRuns) and the floor in turn, rounds times. The same binary ran 37 000 to 68 000
// rows/s within an hour on one 2-core VM (BENCHMARKS, 2026-12-06 22:01–), and the table
// above holds one sample of each run, minutes apart: the rounds give a spread and a median
// of the figure the import's target is best judged by, its share of the floor.
func floorShares(ctx context.Context, open openFresh, r reports, floorPath string, rounds int, progress io.Writer) ([]floorShare, error) {
	var shares []floorShare
	for i := range rounds {
		rate, err := timeImport(ctx, open, importRuns[0], r)
		if err != nil {
			return nil, fmt.Errorf("round %d, %s: %w", i+1, importRuns[0].name, err)
		}
		floor, err := timeFloor(ctx, r.ship, floorPath)
		if err != nil {
			return nil, fmt.Errorf("round %d, the floor: %w", i+1, err)
		}
		fmt.Fprintf(progress, "round %d: shipments buyer by buyer %.0f rows/s, floor %.0f rows/s (%.2f)\n", i+1, rate, floor, rate/floor)
		shares = append(shares, floorShare{rate, floor})
	}
	return shares, nil
}

// writeShares writes the rounds of floorShares as a table, with the median share.
func writeShares(out io.Writer, shares []floorShare) {
	if len(shares) == 0 {
		return
	}
	fmt.Fprint(out, "\nSQLite's shipments import buyer by buyer and the floor, timed in turn:\n\n"+
		"| round | shipments, buyer by buyer | floor | share of the floor |\n|---|---:|---:|---:|\n")
	ratios := make([]float64, len(shares))
	for i, s := range shares {
		ratios[i] = s.rate / s.floor
		fmt.Fprintf(out, "| %d | %.0f | %.0f | %.2f |\n", i+1, s.rate, s.floor, ratios[i])
	}
	fmt.Fprintf(out, "\nMedian share of the floor: **%.2f**.\n", median(ratios))
}

// median returns the middle of xs (the mean of the two middle ones for an even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// reports are the files RunImports writes.
type reports struct{ ship, next, all string }

// timeImport imports one report as run says into a fresh store and returns rows per second.
func timeImport(ctx context.Context, open openFresh, run importRun, r reports) (float64, error) {
	s, done, err := open(ctx, "import")
	if err != nil {
		return 0, err
	}
	defer done()
	if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
		return 0, err
	}
	path := r.ship
	switch {
	case run.kind == ingest.AllOrders:
		path = r.all
	case run.next:
		path = r.next
	}
	if run.stored != emptyStore {
		// In one transaction, the fastest; buyer by buyer it gives the ids a batched import does.
		first := &ingest.Importer{Store: s, ByBuyer: run.stored == firstByBuyer}
		err := s.Bulk(ctx, func(ctx context.Context) error {
			_, err := first.ImportFile(ctx, 1, ingest.FBAShipments, r.ship)
			return err
		})
		if err != nil {
			return 0, err
		}
	}
	im := &ingest.Importer{Store: s, ByBuyer: run.byBuyer}
	var rows int
	imp := func(ctx context.Context) error {
		res, err := im.ImportFile(ctx, 1, run.kind, path)
		rows = res.Rows
		return err
	}
	start := time.Now()
	if run.single {
		err = s.Bulk(ctx, imp)
	} else {
		err = imp(ctx)
	}
	if err != nil {
		return 0, err
	}
	return float64(rows) / time.Since(start).Seconds(), nil
}

// timeFloor writes the shipments report's rows by MultiRowShipments into a new store file
// and returns rows per second.
func timeFloor(ctx context.Context, ship, path string) (float64, error) {
	lines, err := ReadShipments(ship)
	if err != nil {
		return 0, err
	}
	db, err := OpenFloorSQLite(ctx, path)
	if err != nil {
		return 0, err
	}
	defer removeSQLite(path)
	defer db.Close()
	start := time.Now()
	if err := MultiRowShipments(ctx, db, lines); err != nil {
		return 0, err
	}
	return float64(len(lines)) / time.Since(start).Seconds(), nil
}

// openFreshPostgres opens a store in a new schema of the server at base; the returned
// function drops the schema.
func openFreshPostgres(ctx context.Context, base string) (*sqlstore.Store, func(), error) {
	b := make([]byte, 6)
	rand.Read(b)
	schema := "bench_import_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, nil, err
	}
	drop := func() {
		admin.ExecContext(context.Background(), `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
		admin.Close()
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		return nil, nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return nil, nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	s, err := postgres.Open(ctx, u.String())
	if err != nil {
		drop()
		return nil, nil, err
	}
	return s, func() { s.Close(); drop() }, nil
}

// removeSQLite removes a store file and its write-ahead log.
func removeSQLite(path string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}
