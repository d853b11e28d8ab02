package storetest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/postgres"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestDataVersion checks the token servers cache under: it moves with every commit, made
// by the store itself or by another process on the same database, and holds while only
// reads happen. Each engine gets two stores on one database, as two processes would.
func TestDataVersion(t *testing.T) {
	twoStores(t, func(t *testing.T, a, b *sqlstore.Store) {
		// PostgreSQL's snapshot is the whole server's: tests of other packages commit beside
		// this one, so a quiet moment is waited for instead of assumed.
		checkDataVersion(t, a, b, !a.IsPostgres())
	})
}

func checkDataVersion(t *testing.T, a, b *sqlstore.Store, quiet bool) {
	ctx := context.Background()
	version := func() string {
		t.Helper()
		v, err := a.DataVersion(ctx)
		if err != nil || v == "" {
			t.Fatalf("DataVersion = %q, %v", v, err)
		}
		return v
	}
	steady := func() {
		t.Helper()
		for try := 0; ; try++ {
			v0 := version()
			if _, _, err := a.FindCustomers(ctx, shopcrm.CustomerFilter{}); err != nil {
				t.Fatal(err)
			}
			if _, err := b.FindCustomerByID(ctx, 1); shopcrm.ErrorCode(err) != shopcrm.ENOTFOUND && err != nil {
				t.Fatal(err)
			}
			if v1 := version(); v1 == v0 {
				return
			} else if quiet || try == 50 {
				t.Fatalf("version moved from %q to %q over reads alone", v0, v1)
			}
		}
	}

	steady()
	v0 := version()
	c := &shopcrm.Customer{Email: "ann@example.com"}
	if err := a.CreateCustomer(ctx, c); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1 == v0 {
		t.Fatalf("version %q unchanged after a commit of the same store", v1)
	}
	steady()
	v2 := version()
	name := "Ann Lee"
	if _, err := b.UpdateCustomer(ctx, c.ID, shopcrm.CustomerUpdate{FullName: &name}); err != nil {
		t.Fatal(err)
	}
	// Every caller that starts after the commit sees it, however many share a check.
	var wg sync.WaitGroup
	got := make([]string, 32)
	for i := range got {
		wg.Go(func() { got[i], _ = a.DataVersion(ctx) })
	}
	wg.Wait()
	for i, v := range got {
		if v == "" || v == v2 {
			t.Fatalf("caller %d: version %q after another process committed, was %q", i, v, v2)
		}
	}
	if got, err := a.FindCustomerByID(ctx, c.ID); err != nil || got.FullName != name {
		t.Fatalf("read after the new version = %+v, %v", got, err)
	}
}

// TestBuyerListFollowsOtherProcess checks the customer list of one store while another
// store on the same database, as another process would, writes orders: the index skips
// its log while the data version holds, and must still show every commit on the next read.
func TestBuyerListFollowsOtherProcess(t *testing.T) {
	twoStores(t, func(t *testing.T, a, b *sqlstore.Store) {
		ctx := context.Background()
		if err := a.CreateShop(ctx, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}); err != nil {
			t.Fatal(err)
		}
		n := 0
		order := func(email string) *shopcrm.Order {
			n++
			return &shopcrm.Order{SID: 1, Number: fmt.Sprintf("O-%d", n), BuyerEmail: email, BuyerName: "B",
				PurchaseTime: time.Date(2024, 5, n, 10, 0, 0, 0, time.UTC), Status: "Shipped", Currency: "USD",
				SalesChannel: "Amazon.com", Items: []shopcrm.OrderItem{{SKU: "S", Quantity: 1, Price: 1000}}}
		}
		list := func(want map[string]int64) {
			t.Helper()
			for range 2 { // the second read finds the version unchanged
				rows, total, err := a.FindBuyers(ctx, shopcrm.BuyerFilter{})
				if err != nil {
					t.Fatal(err)
				}
				got := map[string]int64{}
				for _, r := range rows {
					got[r.Email] = r.Orders
				}
				if total != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("list: %v of %d, want %v", got, total, want)
				}
			}
		}
		if _, err := b.UpsertOrders(ctx, []*shopcrm.Order{order("ann@x.com")}); err != nil {
			t.Fatal(err)
		}
		list(map[string]int64{"ann@x.com": 1})
		if _, err := b.UpsertOrders(ctx, []*shopcrm.Order{order("ann@x.com"), order("bob@x.com")}); err != nil {
			t.Fatal(err)
		}
		list(map[string]int64{"ann@x.com": 2, "bob@x.com": 1})
		if _, err := b.UpsertOrders(ctx, []*shopcrm.Order{order("bob@x.com")}); err != nil {
			t.Fatal(err)
		}
		list(map[string]int64{"ann@x.com": 2, "bob@x.com": 2})
	})
}

// twoStores runs fn with two stores on one fresh database of each engine.
func twoStores(t *testing.T, fn func(t *testing.T, a, b *sqlstore.Store)) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "shopcrm.db")
		a, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		b, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		fn(t, a, b)
	})
	t.Run("postgres", func(t *testing.T) {
		a, url := storetest.MustOpenPostgresURL(t)
		b, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		fn(t, a, b)
	})
}
