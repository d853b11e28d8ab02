package storetest_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

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
		checkDataVersion(t, a, b, true)
	})
	t.Run("postgres", func(t *testing.T) {
		a, url := storetest.MustOpenPostgresURL(t)
		b, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		// The snapshot is the whole server's: tests of other packages commit beside this one,
		// so a quiet moment is waited for instead of assumed.
		checkDataVersion(t, a, b, false)
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
