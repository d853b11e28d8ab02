package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCommand(t *testing.T) {
	const kinds = "amazon-fba-shipments, orders-ndjson, amazon-all-orders, amazon-fba-returns, amazon-mfn-returns, " +
		"amazon-settlement, amazon-feedback"
	db := filepath.Join(t.TempDir(), "crm.db")
	fixture := func(name string) string { return filepath.Join("..", "..", "ingest", "testdata", name) }
	if out, err := run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-fba-shipments", fixture("shipments.txt")); err == nil ||
		!strings.Contains(out, "shop add") {
		t.Fatalf("import into a missing shop: %q, %v", out, err)
	}
	if _, err := run(t, "shop", "add", "--db", db, "--sid", "1", "--name", "US", "--marketplace", "US"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-nope", fixture("shipments.txt")); err == nil ||
		err.Error() != `invalid: unknown kind "amazon-nope" (one of `+kinds+`)` {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := run(t, "import", "--db", db, "--sid", "1", fixture("shipments.txt")); err == nil ||
		err.Error() != "--kind is required: one of "+kinds {
		t.Fatalf("no kind: %v", err)
	}
	out, err := run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-fba-shipments", fixture("shipments.txt"))
	if err != nil || !strings.Contains(out, "shipments.txt (amazon-fba-shipments): 6 rows read, 4 inserted, 0 updated, 0 unchanged, 0 skipped") {
		t.Fatalf("first import: %q, %v", out, err)
	}
	out, err = run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-fba-shipments", fixture("shipments.txt"))
	if err != nil || !strings.Contains(out, "6 rows read, 0 inserted, 0 updated, 4 unchanged, 0 skipped") {
		t.Fatalf("second import: %q, %v", out, err)
	}
	// Skipped rows are reported and do not fail the command; an unreadable file does, after
	// the other files are imported.
	out, err = run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-all-orders",
		fixture("orders-bad.txt"), fixture("orders-nocols.txt"), fixture("all-orders.txt"))
	if err == nil || !strings.Contains(err.Error(), "1 of 3 files") {
		t.Fatalf("unreadable file: %v", err)
	}
	for _, want := range []string{
		`orders-bad.txt:3: item-price: invalid amount "x"`,
		"orders-nocols.txt: amazon: header lacks required column",
		"all-orders.txt (amazon-all-orders): 6 rows read, 2 inserted, 2 updated",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if out, err := run(t, "reindex", "--db", db); err != nil || !strings.Contains(out, "figures recomputed") {
		t.Fatalf("reindex: %q, %v", out, err)
	}
}

func TestDemoCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "crm.db")
	out, err := run(t, "demo", "--db", db, "--buyers", "200", "--seed", "3")
	if err != nil || !strings.Contains(out, "21 shops (21 new)") || !strings.Contains(out, "amazon-fba-shipments") {
		t.Fatalf("demo: %q, %v", out, err)
	}
	out, err = run(t, "demo", "--db", db, "--buyers", "200", "--seed", "3")
	if err != nil || !strings.Contains(out, "21 shops (0 new)") || !strings.Contains(out, " 0 inserted          0 updated") {
		t.Fatalf("demo again: %q, %v", out, err)
	}
}

// --single-transaction imports all or nothing: an unreadable file rolls back the files before
// it. (storetest's TestBulkFigures checks the figures such a run leaves.)
func TestImportSingleTransaction(t *testing.T) {
	db := filepath.Join(t.TempDir(), "crm.db")
	fixture := func(name string) string { return filepath.Join("..", "..", "ingest", "testdata", name) }
	if _, err := run(t, "shop", "add", "--db", db, "--sid", "1", "--name", "US", "--marketplace", "US"); err != nil {
		t.Fatal(err)
	}
	out, err := run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-all-orders", "--single-transaction",
		fixture("all-orders.txt"), fixture("orders-nocols.txt"))
	if err == nil || !strings.Contains(err.Error(), "orders-nocols.txt: nothing was imported") {
		t.Fatalf("failed single transaction: %q, %v", out, err)
	}
	out, err = run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-all-orders", fixture("all-orders.txt"))
	if err != nil || !strings.Contains(out, "6 rows read, 4 inserted, 0 updated, 0 unchanged") {
		t.Fatalf("after a rolled-back import the orders are new: %q, %v", out, err)
	}
	out, err = run(t, "import", "--db", db, "--sid", "1", "--kind", "amazon-fba-shipments", "--single-transaction", fixture("shipments.txt"))
	if err != nil || !strings.Contains(out, "6 rows read") {
		t.Fatalf("single transaction: %q, %v", out, err)
	}
}
