package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/postgres"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestOrderKeysFollowTheStore: on SQLite the writer asks the store only for the orders its
// filter of order keys may hold (sqlstore/order_numbers.go). An order that reached the
// store any other way (another process's commit, seen by the writer or by a read ahead
// before or after it; another process's order taking the id of one the writer rolled back)
// must still be found, so that writing it again leaves it unchanged instead of inserting it
// twice. PostgreSQL, which keeps no filter, must end the same.
func TestOrderKeysFollowTheStore(t *testing.T) {
	ctx := context.Background()
	write := func(t *testing.T, s *sqlstore.Store, number string) shopcrm.WriteResult {
		t.Helper()
		res, err := s.UpsertOrders(ctx, keyedOrder(number))
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	readAhead := func(t *testing.T, s *sqlstore.Store, number string) func(context.Context) (shopcrm.WriteResult, error) {
		t.Helper()
		w, err := s.PrefetchOrders(ctx, keyedOrder(number))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	cases := map[string]func(t *testing.T, s, other *sqlstore.Store) shopcrm.WriteResult{
		"own order": func(t *testing.T, s, _ *sqlstore.Store) shopcrm.WriteResult {
			write(t, s, "111-1")
			return write(t, s, "111-1")
		},
		"own order, read ahead": func(t *testing.T, s, _ *sqlstore.Store) shopcrm.WriteResult {
			write(t, s, "111-1")
			res, err := readAhead(t, s, "111-1")(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return res
		},
		"another process's order": func(t *testing.T, s, other *sqlstore.Store) shopcrm.WriteResult {
			write(t, other, "111-1")
			return write(t, s, "111-1")
		},
		"another process's order, then read ahead": func(t *testing.T, s, other *sqlstore.Store) shopcrm.WriteResult {
			write(t, other, "111-1")
			res, err := readAhead(t, s, "111-1")(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return res
		},
		"read ahead, then another process's order": func(t *testing.T, s, other *sqlstore.Store) shopcrm.WriteResult {
			w := readAhead(t, s, "111-1")
			write(t, other, "111-1")
			res, err := w(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return res
		},
		"another process's order in the ids of a rolled-back bulk": func(t *testing.T, s, other *sqlstore.Store) shopcrm.WriteResult {
			stop := errors.New("stop")
			err := s.Bulk(ctx, func(ctx context.Context) error {
				if _, err := s.UpsertOrders(ctx, keyedOrder("111-9")); err != nil {
					return err
				}
				return stop
			})
			if !errors.Is(err, stop) {
				t.Fatalf("bulk: %v", err)
			}
			write(t, other, "111-1")
			return write(t, s, "111-1")
		},
	}
	for engine, open := range map[string]func(t *testing.T) (s, other *sqlstore.Store){
		"sqlite": func(t *testing.T) (*sqlstore.Store, *sqlstore.Store) {
			path := filepath.Join(t.TempDir(), "shopcrm.db")
			return openSQLite(t, path), openSQLite(t, path)
		},
		"postgres": func(t *testing.T) (*sqlstore.Store, *sqlstore.Store) {
			s, url := storetest.MustOpenPostgresURL(t)
			other, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { other.Close() })
			return s, other
		},
	} {
		t.Run(engine, func(t *testing.T) {
			for name, fn := range cases {
				t.Run(name, func(t *testing.T) {
					s, other := open(t)
					if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
						t.Fatal(err)
					}
					// The first batch builds the filter; absent numbers then pass it seldom.
					write(t, s, "111-0")
					if engine == "sqlite" {
						built, may := sqlstore.OrderKeysMayHold(s, 1, "111-0")
						if !built || !may {
							t.Fatalf("after the first batch the filter is built %v, holds its order %v", built, may)
						}
						passed := 0
						for i := range 1000 {
							if _, may := sqlstore.OrderKeysMayHold(s, 1, fmt.Sprintf("999-%d", i)); may {
								passed++
							}
						}
						if passed > 10 {
							t.Fatalf("%d of 1000 absent orders pass the filter", passed)
						}
					}
					if res := fn(t, s, other); res != (shopcrm.WriteResult{Unchanged: 1}) {
						t.Errorf("writing 111-1 again: %+v, want it unchanged", res)
					}
					if n := storetest.Texts(t, s, `SELECT count(*) FROM orders WHERE number = '111-1'`); n[0] != "1" {
						t.Errorf("%s orders 111-1", n[0])
					}
				})
			}
		})
	}
}

// keyedOrder is one order of a@example.com in shop 1.
func keyedOrder(number string) []*shopcrm.Order {
	return []*shopcrm.Order{{SID: 1, Number: number, BuyerEmail: "a@example.com", Status: "Shipped",
		PurchaseTime: time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC), SalesChannel: "Amazon.com", Currency: "USD",
		Items: []shopcrm.OrderItem{{SKU: "SKU1", Quantity: 1, Price: 1000}}}}
}

func openSQLite(t *testing.T, path string) *sqlstore.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestOrderKeysBuiltFromTheStore: a store that already holds orders builds its filter from
// them once it has looked up an eighth as many, and then finds every one of them.
func TestOrderKeysBuiltFromTheStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "shopcrm.db")
	s, other := openSQLite(t, path), openSQLite(t, path)
	if err := s.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
		t.Fatal(err)
	}
	for i := range 40 {
		if _, err := other.UpsertOrders(ctx, keyedOrder(fmt.Sprintf("100-%d", i))); err != nil {
			t.Fatal(err)
		}
	}
	// 40 orders stored, and the writer's own as it goes: the sixth order looked up is the
	// first with an eighth of the store's (6 × 8 ≥ 45).
	for i := range 6 {
		if built, _ := sqlstore.OrderKeysMayHold(s, 1, "100-0"); built {
			t.Fatalf("built after %d orders looked up, want 6", i)
		}
		if res, err := s.UpsertOrders(ctx, keyedOrder(fmt.Sprintf("200-%d", i))); err != nil || res.Inserted != 1 {
			t.Fatalf("new order: %+v, %v", res, err)
		}
	}
	for i := range 40 {
		number := fmt.Sprintf("100-%d", i)
		if built, may := sqlstore.OrderKeysMayHold(s, 1, number); !built || !may {
			t.Fatalf("order %s: filter built %v, holds it %v", number, built, may)
		}
	}
	if res, err := s.UpsertOrders(ctx, keyedOrder("100-7")); err != nil || res != (shopcrm.WriteResult{Unchanged: 1}) {
		t.Fatalf("writing a stored order again: %+v, %v", res, err)
	}
}
