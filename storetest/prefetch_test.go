package storetest_test

import (
	"context"
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

func prefetchOrder(number string) []*shopcrm.Order {
	return []*shopcrm.Order{{SID: 1, Number: number, BuyerEmail: "a@example.com", Status: "Shipped",
		PurchaseTime: time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC), SalesChannel: "Amazon.com", Currency: "USD",
		Items: []shopcrm.OrderItem{{SKU: "SKU1", Quantity: 1, Price: 1000}}}}
}

// TestPrefetchedOrdersChecked reads a batch's stored orders ahead, commits the same order
// in between in every way a commit can come, and writes the batch: the write must see the
// committed order (one order, updated or unchanged, not a second insert refused by the
// key) and leave the figures of one order. "Another process" is a second store on the same
// SQLite file or PostgreSQL schema.
func TestPrefetchedOrdersChecked(t *testing.T) {
	for engine, open := range storePairs {
		t.Run(engine, func(t *testing.T) { testPrefetchedOrdersChecked(t, open) })
	}
}

// storePairs open, per engine, a store and another process's store on the same database: a
// second store on the same SQLite file, or on the same PostgreSQL schema.
var storePairs = map[string]func(t *testing.T) (s, other *sqlstore.Store){
	"sqlite": func(t *testing.T) (*sqlstore.Store, *sqlstore.Store) {
		path := filepath.Join(t.TempDir(), "shopcrm.db")
		return mustOpenFile(t, path), mustOpenFile(t, path)
	},
	"postgres": func(t *testing.T) (*sqlstore.Store, *sqlstore.Store) {
		s, url := storetest.MustOpenPostgresURL(t)
		other, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		return s, other
	},
}

func testPrefetchedOrdersChecked(t *testing.T, open func(t *testing.T) (s, other *sqlstore.Store)) {
	ctx := context.Background()
	between := map[string]func(t *testing.T, s, other *sqlstore.Store){
		"nothing": nil,
		"own commit": func(t *testing.T, s, _ *sqlstore.Store) {
			if _, err := s.UpsertOrders(ctx, prefetchOrder("111-1")); err != nil {
				t.Fatal(err)
			}
		},
		"own commit, then more than the log keeps": func(t *testing.T, s, _ *sqlstore.Store) {
			if _, err := s.UpsertOrders(ctx, prefetchOrder("111-1")); err != nil {
				t.Fatal(err)
			}
			for i := range 9 {
				if _, err := s.UpsertOrders(ctx, prefetchOrder(fmt.Sprintf("222-%d", i))); err != nil {
					t.Fatal(err)
				}
			}
		},
		"bulk commit": func(t *testing.T, s, _ *sqlstore.Store) {
			err := s.Bulk(ctx, func(ctx context.Context) error {
				_, err := s.UpsertOrders(ctx, prefetchOrder("111-1"))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		},
		"another process": func(t *testing.T, _, other *sqlstore.Store) {
			if _, err := other.UpsertOrders(ctx, prefetchOrder("111-1")); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, fn := range between {
		t.Run(name, func(t *testing.T) {
			s, other := open(t)
			mustShops(t, s, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"})
			write, err := s.PrefetchOrders(ctx, prefetchOrder("111-1"))
			if err != nil {
				t.Fatal(err)
			}
			if fn != nil {
				fn(t, s, other)
			}
			res, err := write(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := shopcrm.WriteResult{Unchanged: 1}
			if fn == nil {
				want = shopcrm.WriteResult{Inserted: 1}
			}
			if res != want {
				t.Errorf("write %+v, want %+v", res, want)
			}
			if n := storetest.Texts(t, s, `SELECT count(*) FROM orders WHERE number = '111-1'`); n[0] != "1" {
				t.Errorf("%s orders 111-1", n[0])
			}
			c, err := s.FindCustomerByID(ctx, customerIDByEmail(t, s, "a@example.com"))
			if err != nil {
				t.Fatal(err)
			}
			orders := int64(1)
			if name == "own commit, then more than the log keeps" {
				orders = 10
			}
			if c.Statistics.Orders != orders || c.Statistics.TotalSpent != shopcrm.Amount(1000*orders) {
				t.Errorf("statistics %+v, want %d orders", c.Statistics, orders)
			}
		})
	}
}

// TestPrefetchOrdersEngines checks that the write PrefetchOrders returns does what
// UpsertOrders does, on both engines.
func TestPrefetchOrdersEngines(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustOrder(t, s, "111-1", "a@example.com", 1000, time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC), "")
		batch := prefetchOrder("111-1")
		batch[0].Items[0].Title = "Mattress pad"
		batch = append(batch, prefetchOrder("111-2")...)
		write, err := s.PrefetchOrders(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		res, err := write(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (shopcrm.WriteResult{Inserted: 1, Updated: 1}); res != want {
			t.Errorf("write %+v, want %+v", res, want)
		}
		got := storetest.Texts(t, s, `SELECT o.number || ' ' || i.title FROM orders o
			JOIN order_items i ON i.order_id = o.id ORDER BY o.number`)
		if fmt.Sprint(got) != "[111-1 Mattress pad 111-2 ]" {
			t.Errorf("lines %q", got)
		}
	})
}

func mustOpenFile(t *testing.T, path string) *sqlstore.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// mustShops adds shops to s.
func mustShops(t *testing.T, s *sqlstore.Store, shops ...*shopcrm.Shop) {
	t.Helper()
	for _, sh := range shops {
		if err := s.CreateShop(context.Background(), sh); err != nil {
			t.Fatal(err)
		}
	}
}
