package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestImportKilledProcess kills a real `shopcrm import` process with SIGKILL once it has
// committed its first batches, as a crash or an out-of-memory killer would: no deferred
// function, no rollback in Go. What it committed must be consistent (its figures are what a
// reindex computes from its rows), and running the same import again must end where one
// clean run ends. With --single-transaction a killed import must keep nothing.
func TestImportKilledProcess(t *testing.T) {
	dir := t.TempDir()
	bin := buildShopcrm(t, dir)
	report := filepath.Join(dir, "shipments.txt")
	const orders = 60000
	writeKillShipments(t, report, orders)
	engines := []struct {
		name string
		db   func(t *testing.T) string
	}{
		{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "crm.db") }},
		{"postgres", func(t *testing.T) string { _, url := storetest.MustOpenPostgresURL(t); return url }},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			clean, killed, atomic := e.db(t), e.db(t), e.db(t)
			for _, db := range []string{clean, killed, atomic} {
				if _, err := run(t, "shop", "add", "--db", db, "--sid", "1", "--name", "US", "--marketplace", "US"); err != nil {
					t.Fatal(err)
				}
			}
			importArgs := func(db string) []string {
				return []string{"import", "--db", db, "--sid", "1", "--kind", "amazon-fba-shipments", report}
			}
			// The imports run as processes too: in this test's own process they would be slowed
			// down many times under the race detector.
			start := time.Now()
			runBin(t, bin, importArgs(clean)...)
			took := time.Since(start)
			want := figureDump(t, openCLIStore(t, clean))
			if len(want) != orders/3 { // each buyer's all-shops row, which stands for its row in shop 1
				t.Fatalf("the clean import has %d figures rows, want %d", len(want), orders/3)
			}

			s := openCLIStore(t, killed)
			n := killImport(t, exec.Command(bin, importArgs(killed)...), s, true, 2*time.Minute)
			if n >= orders {
				t.Fatalf("the import ended before the kill: %d of %d orders", n, orders)
			}
			t.Logf("killed after %d of %d orders were committed", n, orders)
			before := figureDump(t, s)
			if err := s.Reindex(context.Background()); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, figureDump(t, s)); diff != "" {
				t.Fatalf("figures of the killed import disagree with its rows (-stored +reindexed):\n%s", diff)
			}
			runBin(t, bin, importArgs(killed)...)
			if diff := cmp.Diff(want, figureDump(t, s)); diff != "" {
				t.Fatalf("the import run again after the kill differs from one clean run (-clean +again):\n%s", diff)
			}

			// In one transaction nothing shows before the end, so the kill comes halfway
			// through the time the clean import took: nothing of the file may stay.
			a := openCLIStore(t, atomic)
			cmd := exec.Command(bin, append(importArgs(atomic), "--single-transaction")...)
			if n := killImport(t, cmd, a, false, took/2); n != 0 {
				t.Fatalf("a killed --single-transaction import left %d orders", n)
			}
			if dump := figureDump(t, a); len(dump) != 0 {
				t.Fatalf("a killed --single-transaction import left %d figures rows", len(dump))
			}
		})
	}
}

// killImport starts cmd and kills it with SIGKILL: as soon as s holds an order when
// afterCommit is set (failing after wait), otherwise after wait. It returns the orders
// stored after the kill.
func killImport(t *testing.T, cmd *exec.Cmd, s *sqlstore.Store, afterCommit bool, wait time.Duration) int {
	t.Helper()
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	count := func() int {
		var n int
		if err := s.DB().QueryRow(`SELECT count(*) FROM orders`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	deadline := time.After(wait)
	for waiting := true; waiting; {
		select {
		case err := <-exited:
			t.Fatalf("the import ended before it was killed (%v):\n%s", err, out.String())
		case <-deadline:
			if afterCommit {
				t.Fatalf("no batch committed within %s", wait)
			}
			waiting = false
		case <-time.After(5 * time.Millisecond):
			waiting = !afterCommit || count() == 0
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
	return count()
}

func openCLIStore(t *testing.T, db string) *sqlstore.Store {
	t.Helper()
	s, err := (&cli{db: db}).openStore(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// figureDump is every figures row of the store, keyed by the buyer's e-mail and the last
// order's number rather than by ids, which a killed import may leave gaps in.
func figureDump(t *testing.T, s *sqlstore.Store) []string {
	t.Helper()
	cols := []string{"f.email_key", "f.sid", "f.name_key", "f.orders", "f.units", "f.amount", "f.currency",
		"f.amount_cny", "f.amount_usd", "f.per_customer", "f.refund_orders", "f.return_orders", "f.first_purchase",
		"f.last_purchase", "f.first_purchase_at", "f.last_purchase_at", "o.number", "f.last_sid"}
	rows := storetest.Texts(t, s, `SELECT `+strings.Join(cols, " || ' ' || ")+`
		FROM customer_figures f JOIN orders o ON o.id = f.last_order_id`)
	slices.Sort(rows)
	return rows
}

// writeKillShipments writes a shipments report of n orders of one or two lines each, from
// n/3 buyers whose orders are spread over the whole file.
func writeKillShipments(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	w.WriteString("amazon-order-id\tshipment-id\tshipment-item-id\tpurchase-date\tbuyer-email\tbuyer-name\tsku\tquantity-shipped\tcurrency\titem-price\titem-tax\tsales-channel\n")
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		buyer := i * 7919 % (n / 3)
		when := base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		for item := range 1 + i%2 {
			fmt.Fprintf(w, "111-%07d-%07d\tS%d\tSI%d-%d\t%s\tb%06d@marketplace.amazon.com\tBuyer %d\tSKU-%d\t%d\tUSD\t%d.99\t0.80\tAmazon.com\n",
				i, i%9999991, i, i, item, when, buyer, buyer, item, 1+item, 10+item)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func runBin(t *testing.T, bin string, args ...string) {
	t.Helper()
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("shopcrm %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// buildShopcrm builds the command into dir, for tests that run it as a separate process.
func buildShopcrm(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "shopcrm")
	if b, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	return bin
}
