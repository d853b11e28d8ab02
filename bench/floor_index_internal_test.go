package bench

import (
	"context"
	"testing"

	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// The floor indexes exist while the floors run and are gone afterwards; an index that was
// already there is left alone.
func TestFloorIndexes(t *testing.T) {
	ctx := context.Background()
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		db, pg := s.DB(), s.IsPostgres()
		count := func() int {
			q := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name LIKE 'bench_floor_%'`
			if pg {
				q = `SELECT count(*) FROM pg_indexes WHERE indexname LIKE 'bench_floor_%'`
			}
			var n int
			if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if _, err := db.ExecContext(ctx, `CREATE INDEX bench_floor_first ON customer_figures (sid, first_purchase, email_key)`); err != nil {
			t.Fatal(err)
		}
		drop, err := createFloorIndexes(ctx, db, pg)
		if err != nil {
			t.Fatal(err)
		}
		if n := count(); n != len(floorIndexes) {
			t.Fatalf("%d floor indexes while floors run, want %d", n, len(floorIndexes))
		}
		drop()
		if n := count(); n != 1 {
			t.Fatalf("%d floor indexes after the run, want the 1 that was there before", n)
		}
	})
}
