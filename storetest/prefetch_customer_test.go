package storetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// buyerOrder is an order of 10.00 of buyer a@example.com, named name, an hour after 08:00
// per index i.
func buyerOrder(number, name string, i int) []*shopcrm.Order {
	o := prefetchOrder(number)
	o[0].BuyerName = name
	o[0].PurchaseTime = o[0].PurchaseTime.Add(time.Duration(i) * time.Hour)
	return o
}

// TestPrefetchedCustomersChecked reads a batch's customers and figures rows ahead, commits
// an order of the same buyer in between in every way a commit can come, and writes the
// batch: the write must link the buyer to the one customer (not insert a second one,
// refused by the e-mail key), add to the figures as they are after the commit in between,
// and leave the name the first of the buyer's orders gave. The buyer is new, or stored
// without a name before the batch was read.
func TestPrefetchedCustomersChecked(t *testing.T) {
	ctx := context.Background()
	upsert := func(t *testing.T, s *sqlstore.Store, o []*shopcrm.Order) {
		t.Helper()
		if _, err := s.UpsertOrders(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	// Each returns the orders it committed, all named Bob.
	between := map[string]func(t *testing.T, s, other *sqlstore.Store) int{
		"nothing": func(*testing.T, *sqlstore.Store, *sqlstore.Store) int { return 0 },
		"own commit": func(t *testing.T, s, _ *sqlstore.Store) int {
			upsert(t, s, buyerOrder("111-1", "Bob", 1))
			return 1
		},
		"own commit, then more than the log keeps": func(t *testing.T, s, _ *sqlstore.Store) int {
			upsert(t, s, buyerOrder("111-1", "Bob", 1))
			for i := range 9 {
				upsert(t, s, buyerOrder(fmt.Sprintf("222-%d", i), "Bob", 10+i))
			}
			return 10
		},
		"bulk commit": func(t *testing.T, s, _ *sqlstore.Store) int {
			err := s.Bulk(ctx, func(ctx context.Context) error {
				_, err := s.UpsertOrders(ctx, buyerOrder("111-1", "Bob", 1))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return 1
		},
		"another process": func(t *testing.T, _, other *sqlstore.Store) int {
			upsert(t, other, buyerOrder("111-1", "Bob", 1))
			return 1
		},
	}
	for engine, open := range storePairs {
		for name, fn := range between {
			for _, stored := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/stored before %v", engine, name, stored), func(t *testing.T) {
					s, other := open(t)
					mustShops(t, s, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"})
					orders := 1
					if stored {
						upsert(t, s, buyerOrder("111-0", "", 0))
						orders++
					}
					write, err := s.PrefetchOrders(ctx, buyerOrder("111-9", "Ann", 30))
					if err != nil {
						t.Fatal(err)
					}
					committed := fn(t, s, other)
					orders += committed
					if res, err := write(ctx); err != nil || res.Inserted != 1 {
						t.Fatalf("write %+v, %v; want one order inserted", res, err)
					}
					if n := storetest.Texts(t, s, `SELECT count(*) FROM customers`); n[0] != "1" {
						t.Fatalf("%s customers, want 1", n[0])
					}
					c, err := s.FindCustomerByID(ctx, customerIDByEmail(t, s, "a@example.com"))
					if err != nil {
						t.Fatal(err)
					}
					if c.Statistics.Orders != int64(orders) || c.Statistics.TotalSpent != shopcrm.Amount(1000*orders) {
						t.Errorf("statistics %+v, want %d orders", c.Statistics, orders)
					}
					wantName := "Ann"
					if committed > 0 {
						wantName = "Bob"
					}
					if c.FullName != wantName {
						t.Errorf("name %q, want %q", c.FullName, wantName)
					}
				})
			}
		}
	}
}
