package storetest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func countRows(t *testing.T, s *sqlstore.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The fixture written inside one Bulk has the figures worked out by hand in ingest_test.go,
// though every refresh waits for the end; nothing shows to readers before it commits; a
// nested Bulk joins the outer one.
func TestBulkFigures(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		err := s.Bulk(ctx, func(ctx context.Context) error {
			return s.Bulk(ctx, func(ctx context.Context) error {
				fixtureIn(t, ctx, s)
				if n := countRows(t, s, "orders"); n != 0 {
					t.Errorf("a reader sees %d orders before the bulk commits", n)
				}
				return nil
			})
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
			t.Fatalf("figures after a bulk (-want +got):\n%s", diff)
		}
		// A second bulk of the same rows changes nothing, figures included.
		err = s.Bulk(ctx, func(ctx context.Context) error {
			res, err := s.UpsertOrders(ctx, fixtureOrders())
			if err == nil && res != (shopcrm.WriteResult{Unchanged: 3}) {
				t.Errorf("re-import in a bulk: %+v", res)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantFigures, readFigures(t, s)); diff != "" {
			t.Fatalf("figures after a second bulk (-want +got):\n%s", diff)
		}
	})
}

// An error anywhere in a Bulk leaves the store as it was: no shops, customers, orders or
// figures from it.
func TestBulkRollsBack(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		stop := errors.New("stop")
		err := s.Bulk(context.Background(), func(ctx context.Context) error {
			fixtureIn(t, ctx, s)
			return stop
		})
		if !errors.Is(err, stop) {
			t.Fatalf("bulk returned %v, want its function's error", err)
		}
		for _, table := range []string{"shops", "customers", "orders", "after_sales", "feedback", "customer_figures"} {
			if n := countRows(t, s, table); n != 0 {
				t.Errorf("%d rows in %s after a failed bulk", n, table)
			}
		}
	})
}
