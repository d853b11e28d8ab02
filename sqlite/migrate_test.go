package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlite"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// openWithShops opens a new store, closed when the test ends, holding shops.
func openWithShops(t *testing.T, shops ...*shopcrm.Shop) *sqlstore.Store {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "shopcrm.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, sh := range shops {
		if err := s.CreateShop(ctx, sh); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// Migration 00040 stores a buyer of one shop in one figures row. A store written before it
// has the shop row as well: going down puts it back, going up takes it out again, and the
// rows a recompute writes are those the migration leaves.
func TestMigrationLoneShopRows(t *testing.T) {
	ctx := context.Background()
	s := openWithShops(t, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"}, &shopcrm.Shop{SID: 2, Name: "US2", Marketplace: "US"})
	when := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	order := func(sid int64, number, email string) *shopcrm.Order {
		return &shopcrm.Order{SID: sid, Number: number, BuyerEmail: email, PurchaseTime: when, UpdatedTime: when,
			Status: "Shipped", Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 1000}}}
	}
	// a@x.com buys in shop 1 only, b@x.com in shops 1 and 2.
	if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{order(1, "A1", "a@x.com"), order(1, "B1", "b@x.com"), order(2, "B2", "b@x.com")}); err != nil {
		t.Fatal(err)
	}
	stored := func() []string {
		t.Helper()
		rows, err := s.DB().Query(`SELECT email_key || ' ' || sid || ' ' || orders || ' ' || amount || ' ' || last_sid
			FROM customer_figures ORDER BY email_key, sid`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var v string
			rows.Scan(&v)
			out = append(out, v)
		}
		return out
	}
	now := []string{"a@x.com 0 1 1000 1", "b@x.com 0 2 2000 2", "b@x.com 1 1 1000 1", "b@x.com 2 1 1000 2"}
	before := []string{"a@x.com 0 1 1000 1", "a@x.com 1 1 1000 1", "b@x.com 0 2 2000 2", "b@x.com 1 1 1000 1", "b@x.com 2 1 1000 2"}
	for _, step := range []struct {
		version int64
		want    []string
	}{{39, before}, {40, now}} {
		if err := sqlite.MigrateTo(ctx, s.DB(), step.version); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(step.want, stored()); diff != "" {
			t.Errorf("at version %d, stored rows (-want +got):\n%s", step.version, diff)
		}
	}
	if err := sqlite.MigrateUp(ctx, s.DB()); err != nil {
		t.Fatal(err)
	}
	if err := s.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(now, stored()); diff != "" {
		t.Errorf("after reindex, stored rows (-want +got):\n%s", diff)
	}
}

// Migration 00043 moves order lines from order_items rows into their order's row, leaving
// order_items a view of them. Going down puts the rows back; going up again packs them as
// they were, the store reads them as it wrote them, and the view shows the same rows.
func TestMigrationOrderLines(t *testing.T) {
	ctx := context.Background()
	s := openWithShops(t, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"})
	when := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	orders := func() []*shopcrm.Order {
		return []*shopcrm.Order{
			{SID: 1, Number: "A1", BuyerEmail: "a@x.com", PurchaseTime: when, UpdatedTime: when, Status: "Shipped", Currency: "USD",
				Items: []shopcrm.OrderItem{
					{SKU: "B", ASIN: "B0B", Title: "Mug \"large\"\x1f\u00e9", Quantity: 2, Price: 2500, Tax: 200, Status: "Shipped", Parcels: "p1,p2"},
					{SKU: "A", Title: "Cup", Quantity: 1, Price: 1000, Status: "Cancelled", Promotion: "SAVE5"},
				}},
			{SID: 1, Number: "A2", BuyerEmail: "a@x.com", PurchaseTime: when, UpdatedTime: when, Status: "Pending", Currency: "USD"},
		}
	}
	if _, err := s.UpsertOrders(ctx, orders()); err != nil {
		t.Fatal(err)
	}
	db := s.DB()
	lines := func() []string {
		t.Helper()
		return storetest.Texts(t, s, `SELECT o.number || '|' || i.sku || '|' || i.asin || '|' || i.title || '|' || i.quantity || '|' ||
			i.price || '|' || i.tax || '|' || i.status || '|' || i.promotion || '|' || i.parcels
			FROM orders o JOIN order_items i ON i.order_id = o.id ORDER BY o.number, i.sku`)
	}
	want := []string{"A1|A||Cup|1|1000|0|Cancelled|SAVE5|", "A1|B|B0B|Mug \"large\"\x1f\u00e9|2|2500|200|Shipped||p1,p2"}
	for _, step := range []struct {
		version int64
		kind    string
	}{{43, "view"}, {42, "table"}, {43, "view"}} {
		if err := sqlite.MigrateTo(ctx, db, step.version); err != nil {
			t.Fatal(err)
		}
		if got := storetest.Texts(t, s, `SELECT type FROM sqlite_schema WHERE name = 'order_items'`); len(got) != 1 || got[0] != step.kind {
			t.Errorf("at version %d order_items is %v, want a %s", step.version, got, step.kind)
		}
		if diff := cmp.Diff(want, lines()); diff != "" {
			t.Errorf("at version %d, lines (-want +got):\n%s", step.version, diff)
		}
	}
	// The packed text the migration wrote reads back as the store's own: importing the same
	// orders again changes nothing, and a new line adds to the stored ones.
	res, err := s.UpsertOrders(ctx, orders())
	if err != nil || res.Unchanged != 2 || res.Updated != 0 {
		t.Fatalf("the same orders again: %+v, %v; want 2 unchanged", res, err)
	}
	more := orders()[1:]
	more[0].Items = []shopcrm.OrderItem{{SKU: "C", Quantity: 3, Price: 900, Status: "Pending"}}
	if res, err := s.UpsertOrders(ctx, more); err != nil || res.Updated != 1 {
		t.Fatalf("a line for A2: %+v, %v; want 1 updated", res, err)
	}
	want = append(want, "A2|C|||3|900|0|Pending||")
	if diff := cmp.Diff(want, lines()); diff != "" {
		t.Errorf("after a new line, lines (-want +got):\n%s", diff)
	}
}

// Migration 00042 takes four foreign keys out of the table definitions without rebuilding
// the tables. Going down puts them back, and SQLite enforces them again; rows written
// without them that break them stop the way down, which then changes nothing.
func TestMigrationImportKeys(t *testing.T) {
	ctx := context.Background()
	s := openWithShops(t, &shopcrm.Shop{SID: 1, Name: "US", Marketplace: "US"})
	when := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	if _, err := s.UpsertOrders(ctx, []*shopcrm.Order{{SID: 1, Number: "A1", BuyerEmail: "a@x.com", PurchaseTime: when,
		UpdatedTime: when, Currency: "USD", Items: []shopcrm.OrderItem{{SKU: "A", Quantity: 1, Price: 1000}}}}); err != nil {
		t.Fatal(err)
	}
	db := s.DB()
	keys := func() string {
		t.Helper()
		var n int
		var refs []string
		for _, table := range []string{"orders", "order_items", "customer_figures"} {
			var def string
			if err := db.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = ?`, table).Scan(&def); err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(def, "\n") {
				if i := strings.Index(line, "REFERENCES"); i >= 0 {
					refs = append(refs, table+" "+strings.TrimSuffix(line[i:], ","))
				}
			}
		}
		if err := db.QueryRow(`SELECT count(*) FROM orders JOIN order_items ON order_id = id`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("order lines: %d, %v; want 1", n, err)
		}
		return strings.Join(refs, "; ")
	}
	if got := keys(); got != "" {
		t.Fatalf("at 42 the tables still have %s", got)
	}
	// A line of an order that does not exist, in one connection: foreign_keys is per connection.
	orphan := func() error {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_, err = conn.ExecContext(ctx, `INSERT INTO order_items (order_id, sku) VALUES (999, 'X')`)
		return err
	}
	if err := sqlite.MigrateTo(ctx, db, 41); err != nil {
		t.Fatal(err)
	}
	want := "orders REFERENCES shops (sid); orders REFERENCES customers (id) ON DELETE SET NULL; " +
		"order_items REFERENCES orders (id) ON DELETE CASCADE; customer_figures REFERENCES customers (id) ON DELETE CASCADE"
	if got := keys(); got != want {
		t.Fatalf("at 41 the keys are %q, want %q", got, want)
	}
	if err := orphan(); err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Fatalf("a line without its order at 41: %v, want a foreign key failure", err)
	}
	if err := sqlite.MigrateTo(ctx, db, 42); err != nil {
		t.Fatal(err)
	}
	if err := orphan(); err != nil {
		t.Fatalf("a line without its order at 42: %v", err)
	}
	err := sqlite.MigrateTo(ctx, db, 41)
	if err == nil || !strings.Contains(err.Error(), "cannot be put back") {
		t.Fatalf("going down over a line without its order: %v, want a refusal", err)
	}
	if got := keys(); got != "" {
		t.Fatalf("after the refused way down the tables have %s", got)
	}
}
