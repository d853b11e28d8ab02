package bench

import (
	"context"
	"database/sql"
	"fmt"
)

// floorIndexes are what the SQL floors of the date sorts read. shopcrm itself reads no index
// on figures by date (the customer list ranks in memory), and keeping them cost every import
// two random index writes per figures row, so the store dropped them (migration 00034). A
// floor is the best a plain query can do, so the bench builds them for its run. A buyer of
// one shop has its shop's figures in its all-shops row (migration 00040), which the floors of
// a shop read through customer_figures_expanded: the partial indexes find those rows by shop.
var floorIndexes = []struct{ name, columns string }{
	{"bench_floor_last", "customer_figures (sid, last_purchase, email_key)"},
	{"bench_floor_first", "customer_figures (sid, first_purchase, email_key)"},
	{"bench_floor_lone_last", "customer_figures (last_sid, last_purchase, email_key) WHERE sid = 0"},
	{"bench_floor_lone_first", "customer_figures (last_sid, first_purchase, email_key) WHERE sid = 0"},
}

// createFloorIndexes builds the floor indexes that are missing and returns a function that
// drops the ones it built, leaving the database as it found it.
func createFloorIndexes(ctx context.Context, db *sql.DB, pg bool) (drop func(), err error) {
	var made []string
	drop = func() {
		for _, name := range made {
			db.ExecContext(context.Background(), "DROP INDEX IF EXISTS "+name)
		}
	}
	for _, ix := range floorIndexes {
		var n int
		q := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = $1`
		if pg {
			q = `SELECT count(*) FROM pg_indexes WHERE indexname = $1`
		}
		if err := db.QueryRowContext(ctx, q, ix.name).Scan(&n); err != nil {
			drop()
			return nil, err
		}
		if n > 0 {
			continue
		}
		if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE INDEX %s ON %s", ix.name, ix.columns)); err != nil {
			drop()
			return nil, err
		}
		made = append(made, ix.name)
	}
	return drop, nil
}
