package demo_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm/demo"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// dump reads what the data set is made of, by natural keys: ids depend on the order in which
// files are imported, which the chunking changes (TestDemoSameIDs checks them).
func dump(t testing.TB, s *sqlstore.Store) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, q := range map[string]string{
		"figures": `SELECT email_key || ' ' || sid || ' ' || orders || ' ' || units || ' ' || amount || ' ' || currency || ' ' ||
			refund_orders || ' ' || refund_units || ' ' || return_orders || ' ' || return_units || ' ' || exchange_orders || ' ' ||
			feedback_count || ' ' || feedback_bad || ' ' || first_purchase || ' ' || last_purchase FROM customer_figures`,
		"orders":      `SELECT sid || ' ' || number || ' ' || status || ' ' || coalesce(buyer_email, '') FROM orders`,
		"after_sales": `SELECT item_identifier || ' ' || type || ' ' || quantity || ' ' || amount_details FROM after_sales`,
		"feedback":    `SELECT sid || ' ' || order_number || ' ' || rating FROM feedback`,
		"products":    `SELECT sid || ' ' || msku || ' ' || local_name FROM products`,
		"mobiles":     `SELECT email_key || ' ' || mobile FROM customers WHERE mobile <> ''`,
	} {
		out[name] = column(t, s, q)
	}
	return out
}

// column runs a query of one text column and returns its rows in order.
func column(t testing.TB, s *sqlstore.Store, q string) []string {
	t.Helper()
	return storetest.Texts(t, s, q+` ORDER BY 1`)
}

// TestDemoDeterministic: the same seed gives the same data in two stores, whatever the
// chunking; running the demo again changes nothing; the figures it maintained are the
// ones a reindex computes.
func TestDemoDeterministic(t *testing.T) {
	ctx := context.Background()
	a, b := storetest.MustOpen(t), storetest.MustOpen(t)
	if _, err := demo.Generate(ctx, a, demo.Options{Buyers: 1500, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, b, demo.Options{Buyers: 1500, Seed: 7, Chunk: 400}); err != nil {
		t.Fatal(err)
	}
	want := dump(t, a)
	for name, rows := range want {
		if len(rows) == 0 {
			t.Errorf("no %s generated", name)
		}
	}
	if diff := cmp.Diff(want, dump(t, b)); diff != "" {
		t.Fatalf("same seed, different data (-a +b):\n%s", diff)
	}
	sum, err := demo.Generate(ctx, a, demo.Options{Buyers: 1500, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for kind, r := range sum.Kinds {
		if r.Inserted != 0 || r.Updated != 0 {
			t.Errorf("second run, %s: %+v", kind, r.WriteResult)
		}
	}
	if sum.ShopsCreated != 0 {
		t.Errorf("second run created %d shops", sum.ShopsCreated)
	}
	if diff := cmp.Diff(want, dump(t, a)); diff != "" {
		t.Fatalf("second run changed the data (-first +second):\n%s", diff)
	}
	if err := a.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want["figures"], dump(t, a)["figures"]); diff != "" {
		t.Fatalf("maintained figures differ from reindexed ones (-maintained +reindexed):\n%s", diff)
	}
	if _, err := demo.Generate(ctx, a, demo.Options{Buyers: 1500, Seed: 8}); err != nil {
		t.Fatal(err)
	}
	if cmp.Equal(want["orders"], dump(t, a)["orders"]) {
		t.Error("another seed added nothing")
	}
}

// TestDemoSameIDs: the same seed and chunking give every customer, order and after-sale
// the same id, so that ids in examples and bug reports mean the same buyer on any machine.
func TestDemoSameIDs(t *testing.T) {
	ctx := context.Background()
	var dumps [2][]string
	for i := range dumps {
		s := storetest.MustOpen(t)
		if _, err := demo.Generate(ctx, s, demo.Options{Buyers: 1500, Seed: 7, Chunk: 400}); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`SELECT 'customer ' || id || ' ' || email_key FROM customers`,
			`SELECT 'order ' || id || ' ' || sid || ' ' || number FROM orders`,
			`SELECT 'after-sale ' || id || ' ' || item_identifier FROM after_sales`} {
			dumps[i] = append(dumps[i], column(t, s, q)...)
		}
	}
	if len(dumps[0]) < 1500 {
		t.Fatalf("only %d rows", len(dumps[0]))
	}
	if diff := cmp.Diff(dumps[0], dumps[1]); diff != "" {
		t.Fatalf("same seed, different ids (-first +second):\n%s", diff)
	}
}

// TestDemoPostgres runs a small data set through PostgreSQL when it is configured.
func TestDemoPostgres(t *testing.T) {
	s := storetest.MustOpenPostgres(t)
	sum, err := demo.Generate(context.Background(), s, demo.Options{Buyers: 300, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Kinds[ingest.FBAShipments] == nil || sum.Kinds[ingest.FBAShipments].Inserted == 0 {
		t.Errorf("summary %+v", sum)
	}
	lite := storetest.MustOpen(t)
	if _, err := demo.Generate(context.Background(), lite, demo.Options{Buyers: 300, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(dump(t, lite), dump(t, s)); diff != "" {
		t.Errorf("SQLite and PostgreSQL hold different data (-sqlite +postgres):\n%s", diff)
	}
}

// BenchmarkDemo generates SHOPCRM_DEMO_BUYERS buyers (default 20 000) into a fresh SQLite store.
func BenchmarkDemo(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("SHOPCRM_DEMO_BUYERS")); err == nil && v > 0 {
		n = v
	}
	batch, _ := strconv.Atoi(os.Getenv("SHOPCRM_DEMO_BATCH"))
	for b.Loop() {
		b.StopTimer()
		s := storetest.MustOpen(b)
		b.StartTimer()
		if _, err := demo.Generate(context.Background(), s, demo.Options{Buyers: n, Seed: 1, Batch: batch}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "buyers/s")
}
