package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// TestImportAnyOrder imports random sets of overlapping reports of every kind (genReports)
// in random orders, batch sizes, in file order or buyer by buyer, in batches or in one
// transaction, some imports killed after a few commits and run again, and checks what
// IMPORT.md promises of any such run: the same end state as the files in their natural
// order, figures equal to what reindex computes from the stored rows, and nothing changed
// by importing every file again; and the two engines end in the same store. A failure names
// the seed and the order of the files. SHOPCRM_TEST_SEEDS runs more seeds than the 3 of
// every run.
func TestImportAnyOrder(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)() // spool even these small files when ByBuyer is on
	seeds := uint64(3)
	if n, err := strconv.ParseUint(os.Getenv("SHOPCRM_TEST_SEEDS"), 10, 64); err == nil && n > 0 {
		seeds = n
	}
	onSQLite := map[uint64]map[string][]string{} // the end state of each seed
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqlstore.Store
	}{{"sqlite", func(tb testing.TB) *sqlstore.Store { return storetest.MustOpen(tb) }},
		{"postgres", func(tb testing.TB) *sqlstore.Store { return storetest.MustOpenPostgres(tb) }}} {
		t.Run(engine.name, func(t *testing.T) {
			for seed := uint64(1); seed <= seeds; seed++ {
				// A subtest per seed closes its stores when it ends.
				t.Run(fmt.Sprint("seed-", seed), func(t *testing.T) {
					files := genReports(t, t.TempDir(), seed)
					want := importAll(t, engine.open(t), files, &ingest.Importer{}, false, nil)
					if other, ok := onSQLite[seed]; ok {
						if diff := cmp.Diff(other, want); diff != "" {
							t.Fatalf("end state differs from SQLite's (-sqlite +%s):\n%s", engine.name, diff)
						}
					} else {
						onSQLite[seed] = want
					}
					r := rand.New(rand.NewPCG(seed, 1))
					for range 3 {
						order := r.Perm(len(files))
						shuffled := make([]reportFile, len(files))
						for i, j := range order {
							shuffled[i] = files[j]
						}
						im := &ingest.Importer{Batch: []int{1, 2, 3, 5, 0}[r.IntN(5)], ByBuyer: r.IntN(2) == 0}
						bulk := r.IntN(3) == 0
						got := importAll(t, engine.open(t), shuffled, im, bulk, r)
						if diff := cmp.Diff(want, got); diff != "" {
							t.Fatalf("files in order %v, batch %d, by buyer %v, one transaction %v: end state differs from the files in order (-want +got):\n%s",
								order, im.Batch, im.ByBuyer, bulk, diff)
						}
					}
				})
			}
		})
	}
}

// importAll imports files into s in their order, in one transaction when bulk is set (as
// `import --single-transaction` does), checks that the figures are what reindex computes
// and that a second import of every file changes nothing, and returns the store's end
// state. With kills (batches only), some imports are first killed after a random number
// of commits, and run again.
func importAll(t *testing.T, s *sqlstore.Store, files []reportFile, im *ingest.Importer, bulk bool, kills *rand.Rand) map[string][]string {
	t.Helper()
	ctx := context.Background()
	mustShop(t, s, 1, "US")
	mustShop(t, s, 2, "UK")
	mustShop(t, s, 3, "SHOP")
	im.Store = s
	for round := range 2 {
		each := func(ctx context.Context) error {
			for _, f := range files {
				if kills != nil && !bulk && round == 0 && kills.IntN(3) == 0 {
					killed := *im
					killed.Store = &killingStore{Store: s, commits: kills.IntN(3)}
					if _, err := killed.ImportFile(ctx, f.sid, f.kind, f.path); err != nil && !errors.Is(err, errKilled) {
						return fmt.Errorf("%s, killed: %w", f.path, err)
					}
				}
				res, err := im.ImportFile(ctx, f.sid, f.kind, f.path)
				if err != nil {
					return fmt.Errorf("%s: %w", f.path, err)
				}
				if res.Skipped != 0 {
					return fmt.Errorf("%s: skipped %+v", f.path, res.Skips)
				}
				if round == 1 && (res.Inserted != 0 || res.Updated != 0) {
					t.Errorf("%s imported again (batch %d, by buyer %v, one transaction %v): %+v, want every record unchanged",
						f.path, im.Batch, im.ByBuyer, bulk, res.WriteResult)
				}
			}
			return nil
		}
		var err error
		if bulk {
			err = s.Bulk(ctx, each)
		} else {
			err = each(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	state := dumpStore(t, s)
	if err := s.Reindex(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(state["figures"], dumpStore(t, s)["figures"]); diff != "" {
		t.Fatalf("figures kept on write differ from reindex (batch %d, by buyer %v) (-kept +reindex):\n%s", im.Batch, im.ByBuyer, diff)
	}
	return state
}

// dumpStore returns every stored record as text, by table, without the ids the store gives
// (they follow the order of the writes).
func dumpStore(t *testing.T, s *sqlstore.Store) map[string][]string {
	t.Helper()
	queries := map[string]string{
		"customers": `SELECT email_key, full_name, mobile FROM customers ORDER BY email_key`,
		"figures": `SELECT f.email_key, f.sid, orders, units, amount, f.currency, amount_cny, amount_usd, per_customer,
			per_customer_cny, refund_orders, refund_units, refund_rate, return_orders, return_units, return_rate,
			exchange_orders, exchange_units, feedback_count, feedback_bad, feedback_rate, feedback_bad_rate,
			first_purchase, last_purchase, first_purchase_at, last_purchase_at, o.number, last_sid
			FROM customer_figures_expanded f LEFT JOIN orders o ON o.id = f.last_order_id ORDER BY f.email_key, f.sid`,
		"orders": `SELECT o.sid, o.number, coalesce(c.email_key, ''), o.buyer_email, o.buyer_name, o.purchase_time,
			o.updated_time, o.status, o.fulfilment, o.sales_channel, o.currency, o.coupon_code
			FROM orders o LEFT JOIN customers c ON c.id = o.customer_id ORDER BY o.sid, o.number`,
		"items": `SELECT o.sid, o.number, i.sku, i.asin, i.title, i.quantity, i.price, i.tax, i.status, i.promotion, i.parcels
			FROM order_items i JOIN orders o ON o.id = i.order_id ORDER BY o.sid, o.number, i.sku`,
		"after_sales": `SELECT item_identifier, sid, order_number, type, sku, quantity, reason, after_time, status, currency,
			amount_details, cost_details, lpn, rma, carrier, waybill, coalesce(purchase_time, 0)
			FROM after_sales ORDER BY item_identifier`,
		"feedback": `SELECT sid, order_number, rating, date, comment, response, rater_email FROM feedback ORDER BY sid, order_number`,
	}
	state := map[string][]string{}
	// Sorted here, not by ORDER BY: PostgreSQL sorts text by its collation, SQLite by bytes.
	defer func() {
		for _, lines := range state {
			slices.Sort(lines)
		}
	}()
	for table, q := range queries {
		rows, err := s.DB().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fields := make([]string, len(vals))
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fields[i] = fmt.Sprint(v)
			}
			state[table] = append(state[table], strings.Join(fields, " | "))
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return state
}

// killingStore fails every write after its first commits, as a kill between two commits
// leaves the store: what was committed stays, the rest never happened.
type killingStore struct {
	ingest.Store
	commits int
}

var errKilled = errors.New("killed")

func (k *killingStore) commit() error {
	if k.commits == 0 {
		return errKilled
	}
	k.commits--
	return nil
}

func (k *killingStore) UpsertOrders(ctx context.Context, orders []*shopcrm.Order) (shopcrm.WriteResult, error) {
	if err := k.commit(); err != nil {
		return shopcrm.WriteResult{}, err
	}
	return k.Store.UpsertOrders(ctx, orders)
}

func (k *killingStore) UpsertAfterSales(ctx context.Context, items []*shopcrm.AfterSale) (shopcrm.WriteResult, error) {
	if err := k.commit(); err != nil {
		return shopcrm.WriteResult{}, err
	}
	return k.Store.UpsertAfterSales(ctx, items)
}

func (k *killingStore) UpsertFeedback(ctx context.Context, items []*shopcrm.Feedback) (shopcrm.WriteResult, error) {
	if err := k.commit(); err != nil {
		return shopcrm.WriteResult{}, err
	}
	return k.Store.UpsertFeedback(ctx, items)
}

func (k *killingStore) UpsertProducts(ctx context.Context, items []*shopcrm.Product) (shopcrm.WriteResult, error) {
	if err := k.commit(); err != nil {
		return shopcrm.WriteResult{}, err
	}
	return k.Store.UpsertProducts(ctx, items)
}
