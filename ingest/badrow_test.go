package ingest_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

func TestImportBadRows(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		im := &ingest.Importer{Store: s}
		res, err := im.ImportFile(ctx, 1, ingest.AllOrders, "testdata/orders-bad.txt")
		if err != nil {
			t.Fatal(err)
		}
		var skips []string
		for _, sk := range res.Skips {
			skips = append(skips, res.SkipString(sk))
		}
		want := []string{
			`testdata/orders-bad.txt:3: item-price: invalid amount "x"`,
			`testdata/orders-bad.txt:4: purchase-date: invalid date "not a date"`,
			`testdata/orders-bad.txt:5: sku: empty`,
		}
		if diff := cmp.Diff(want, skips); diff != "" {
			t.Errorf("skips (-want +got):\n%s", diff)
		}
		if res.Rows != 5 || res.Skipped != 3 || res.WriteResult != (shopcrm.WriteResult{Inserted: 2}) {
			t.Errorf("result %+v", res)
		}
		// The rest is committed: order 1 without its bad line, order 4 whole.
		lines := storetest.Texts(t, s, `SELECT o.number || ' ' || i.sku FROM orders o JOIN order_items i ON i.order_id = o.id ORDER BY 1`)
		if diff := cmp.Diff([]string{"112-0000001-0000001 SKU-RED", "112-0000004-0000004 SKU-GRN"}, lines); diff != "" {
			t.Errorf("committed lines (-want +got):\n%s", diff)
		}
	})
}

func TestImportUnreadable(t *testing.T) {
	s := storetest.MustOpen(t)
	mustShop(t, s, 1, "US")
	im := &ingest.Importer{Store: s}
	ctx := context.Background()
	_, err := im.ImportFile(ctx, 1, ingest.AllOrders, "testdata/orders-nocols.txt")
	if err == nil || !strings.Contains(err.Error(), "order-status") {
		t.Errorf("missing columns: %v", err)
	}
	if _, err := im.ImportFile(ctx, 1, ingest.AllOrders, "testdata/nope.txt"); err == nil {
		t.Error("missing file: no error")
	}
	_, err = im.ImportFile(ctx, 7, ingest.AllOrders, "testdata/all-orders.txt")
	if shopcrm.ErrorCode(err) != shopcrm.ENOTFOUND || !strings.Contains(err.Error(), "shop add") {
		t.Errorf("unknown shop: %v", err)
	}
	if _, err := ingest.ParseKind("amazon-nope"); err == nil {
		t.Error("unknown kind accepted")
	}
	var n int
	s.DB().QueryRow(`SELECT count(*) FROM orders`).Scan(&n)
	if n != 0 {
		t.Errorf("%d orders written from unreadable files", n)
	}
}

// cancelAfter cancels the import once it has read past a number of progress reports,
// as a kill would, mid-file; with written set, at the first report after a batch was
// committed (how many reports pass before that depends on how far reading runs ahead).
type cancelAfter struct {
	n       int
	written *sqlstore.Store
	cancel  context.CancelFunc
}

func (c *cancelAfter) Advance(int64) {
	if c.written != nil {
		var n int
		c.written.DB().QueryRow(`SELECT count(*) FROM orders`).Scan(&n)
		if n > 0 {
			c.cancel()
		}
		return
	}
	if c.n--; c.n == 0 {
		c.cancel()
	}
}
func (c *cancelAfter) Finish() {}

func TestImportKilled(t *testing.T) {
	defer ingest.SetSpoolMinBytes(0)()
	path := t.TempDir() + "/shipments.txt"
	total := writeShipments(t, path, 6000)
	clean := storetest.MustOpen(t)
	mustShop(t, clean, 1, "US")
	if _, err := (&ingest.Importer{Store: clean, Batch: 200}).ImportFile(context.Background(), 1, ingest.FBAShipments, path); err != nil {
		t.Fatal(err)
	}
	want := readFigures(t, clean)
	// In file order the kill comes at the 4th progress report; buyer by buyer, reading the
	// file takes about 12 reports and writing it one per bucket of buyers, and the kill
	// comes at the first report after a batch was committed.
	for _, mode := range []struct {
		name    string
		byBuyer bool
		reports int
	}{{"file-order", false, 4}, {"by-buyer", true, 0}} {
		t.Run(mode.name, func(t *testing.T) {
			storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
				mustShop(t, s, 1, "US")
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				im := &ingest.Importer{Store: s, Batch: 200, ByBuyer: mode.byBuyer,
					Progress: func(string, int64) ingest.Progress {
						c := &cancelAfter{n: mode.reports, cancel: cancel}
						if mode.reports == 0 {
							c.written = s
						}
						return c
					}}
				_, err := im.ImportFile(ctx, 1, ingest.FBAShipments, path)
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("killed import: %v", err)
				}
				var n int
				s.DB().QueryRow(`SELECT count(*) FROM orders`).Scan(&n)
				if n == 0 || n >= total {
					t.Fatalf("the kill came too early or too late: %d of %d orders written", n, total)
				}
				t.Logf("killed after %d of %d orders", n, total)
				// What was committed is consistent: its figures are what a reindex computes.
				before := readFigures(t, s)
				if err := s.Reindex(context.Background()); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(before, readFigures(t, s)); diff != "" {
					t.Fatalf("figures of the killed import disagree with its rows (-before +reindexed):\n%s", diff)
				}
				im.Progress = nil
				if _, err := im.ImportFile(context.Background(), 1, ingest.FBAShipments, path); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, readFigures(t, s)); diff != "" {
					t.Fatalf("re-run after a kill differs from one clean run (-clean +re-run):\n%s", diff)
				}
			})
		})
	}
}

// Numbers past shopcrm.MaxQuantity or MaxLineAmount, and purchase dates outside 1995–2099,
// are bad rows: a quantity of 2^63-1 once wrapped its buyer's units negative, and a date in
// 9999 stood as the buyer's last purchase. The date is rejected when its batch closes, after
// the rows below it; the skips still come in file order. Hand-worked: big@x.com keeps order 2 alone (5 units,
// 5 × 10.00 = 50.00); ok@x.com order 5 (1 unit, 10.00).
func TestImportOutOfRange(t *testing.T) {
	ship := "amazon-order-id\tshipment-id\tshipment-item-id\tpurchase-date\tbuyer-email\tbuyer-name\tsku\tquantity-shipped\tcurrency\titem-price\titem-tax\n" +
		"111-0000000-0000000\tS0\tS0-1\t9999-12-31T10:00:00+00:00\tbig@x.com\tBig\tSKU-A\t1\tUSD\t10.00\t0.80\n" +
		"111-0000001-0000001\tS1\tS1-1\t2024-03-01T10:00:00+00:00\tbig@x.com\tBig\tSKU-A\t9223372036854775807\tUSD\t10.00\t0.80\n" +
		"111-0000002-0000002\tS2\tS2-1\t2024-03-02T10:00:00+00:00\tbig@x.com\tBig\tSKU-A\t5\tUSD\t50.00\t0.80\n" +
		"111-0000003-0000003\tS3\tS3-1\t2024-03-03T10:00:00+00:00\tbig@x.com\tBig\tSKU-A\t1\tUSD\t99999999999999.99\t0.80\n" +
		"111-0000004-0000004\tS4\tS4-1\t2024-03-04T10:00:00+00:00\tbig@x.com\tBig\tSKU-A\t1000001\tUSD\t1.00\t0.80\n" +
		"111-0000005-0000005\tS5\tS5-1\t2024-03-05T10:00:00+00:00\tok@x.com\tOk\tSKU-A\t1\tUSD\t10.00\t0.80\n"
	nd := `{"order_number":"O-1","purchase_time":"2024-03-06T10:00:00Z","buyer_email":"big@x.com","currency":"USD","items":[{"sku":"A","quantity":1000000,"unit_price":"10000000.00"}]}
{"order_number":"O-2","purchase_time":"2024-03-06T10:00:00Z","buyer_email":"big@x.com","currency":"USD","items":[{"sku":"A","quantity":2000000,"price":"1.00"}]}
{"order_number":"O-3","purchase_time":"2024-03-06T10:00:00Z","buyer_email":"big@x.com","currency":"USD","items":[{"sku":"A","quantity":1,"price":"1.00","tax":"-10000000000.01"}]}
`
	dir := t.TempDir()
	shipPath, ndPath := dir+"/ship.txt", dir+"/orders.ndjson"
	if err := os.WriteFile(shipPath, []byte(ship), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ndPath, []byte(nd), 0o600); err != nil {
		t.Fatal(err)
	}
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		im := &ingest.Importer{Store: s}
		var skips []string
		for _, f := range []struct {
			kind ingest.Kind
			path string
		}{{ingest.FBAShipments, shipPath}, {ingest.OrdersNDJSON, ndPath}} {
			res, err := im.ImportFile(ctx, 1, f.kind, f.path)
			if err != nil {
				t.Fatal(err)
			}
			for _, sk := range res.Skips {
				skips = append(skips, strings.TrimPrefix(res.SkipString(sk), dir+"/"))
			}
		}
		want := []string{
			`ship.txt:2: purchase_date: 9999-12-31T10:00:00Z is outside 1995 to 2099`,
			`ship.txt:3: quantity-shipped: quantity "9223372036854775807" out of range`,
			`ship.txt:5: item-price: amount "99999999999999.99" out of range`,
			`ship.txt:6: quantity-shipped: quantity "1000001" out of range`,
			`orders.ndjson:1: items.unit_price: unit_price × quantity out of range`,
			`orders.ndjson:2: items.quantity: more than 1000000`,
			`orders.ndjson:3: items.tax: out of range`,
		}
		if diff := cmp.Diff(want, skips); diff != "" {
			t.Errorf("skips (-want +got):\n%s", diff)
		}
		got := readFigures(t, s)
		wantFigs := []figures{
			{Email: "big@x.com", SID: 0, Orders: 1, Units: 5, Amount: 5000, Currency: "USD", First: "2024-03-02 02:00:00", Last: "2024-03-02 02:00:00"},
			{Email: "big@x.com", SID: 1, Orders: 1, Units: 5, Amount: 5000, Currency: "USD", First: "2024-03-02 02:00:00", Last: "2024-03-02 02:00:00"},
			{Email: "ok@x.com", SID: 0, Orders: 1, Units: 1, Amount: 1000, Currency: "USD", First: "2024-03-05 02:00:00", Last: "2024-03-05 02:00:00"},
			{Email: "ok@x.com", SID: 1, Orders: 1, Units: 1, Amount: 1000, Currency: "USD", First: "2024-03-05 02:00:00", Last: "2024-03-05 02:00:00"},
		}
		if diff := cmp.Diff(wantFigs, got); diff != "" {
			t.Errorf("figures (-want +got):\n%s", diff)
		}
	})
}

// A file that breaks off keeps the rows before the break, whichever batch they were in, and
// reports where it broke; importing the whole file afterwards completes it. Hand-worked: 30
// orders of one item, 3 units each, over 10 buyers (b0…b9, order i to buyer i mod 10),
// batches of 4 records; the cut gzip holds about the first half of the rows. Written in
// file order and buyer by buyer (where the rows are all read before any is written).
func TestImportBrokenFile(t *testing.T) {
	var text strings.Builder
	text.WriteString("amazon-order-id\tshipment-item-id\tpurchase-date\tbuyer-email\tsku\tquantity-shipped\tcurrency\titem-price\n")
	for i := range 30 {
		fmt.Fprintf(&text, "111-0000000-%07d\tSI%d\t2024-03-01T10:%02d:00+00:00\tb%d@x.com\tSKU-A\t3\tUSD\t30.00\n", i, i, i, i%10)
	}
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(text.String()))
	zw.Close()
	dir := t.TempDir()
	whole, cut := dir+"/whole.txt", dir+"/cut.txt.gz"
	os.WriteFile(whole, []byte(text.String()), 0o600)
	os.WriteFile(cut, zipped.Bytes()[:zipped.Len()*2/3], 0o600)
	// The rows before the break: the whole lines a gzip reader gives before its error.
	zr, err := gzip.NewReader(bytes.NewReader(zipped.Bytes()[:zipped.Len()*2/3]))
	if err != nil {
		t.Fatal(err)
	}
	readable, _ := io.ReadAll(zr)
	before := bytes.Count(readable, []byte("\n")) - 1
	if before < 5 || before >= 29 {
		t.Fatalf("the cut leaves %d whole rows; the test wants a break well inside the file", before)
	}

	defer ingest.SetSpoolMinBytes(0)()
	for _, byBuyer := range []bool{false, true} {
		storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
			ctx := context.Background()
			mustShop(t, s, 1, "US")
			im := &ingest.Importer{Store: s, Batch: 4, ByBuyer: byBuyer}
			res, err := im.ImportFile(ctx, 1, ingest.FBAShipments, cut)
			if err == nil || !strings.Contains(err.Error(), "cut.txt.gz") || !strings.Contains(err.Error(), "line ") {
				t.Fatalf("cut file: error %v, want the file and line of the break", err)
			}
			var orders, units int
			s.DB().QueryRow(`SELECT count(*) FROM orders`).Scan(&orders)
			s.DB().QueryRow(`SELECT coalesce(sum(units), 0) FROM customer_figures WHERE sid = 0`).Scan(&units)
			if orders != before || res.Inserted != before || units != 3*before {
				t.Errorf("cut file: %d orders stored, %d inserted, %d units in the figures; want the %d rows before the break, 3 units each",
					orders, res.Inserted, units, before)
			}
			if _, err := im.ImportFile(ctx, 1, ingest.FBAShipments, whole); err != nil {
				t.Fatal(err)
			}
			got := readFigures(t, s)
			if len(got) != 20 {
				t.Fatalf("%d figures rows, want 20", len(got))
			}
			for _, f := range got {
				if f.Orders != 3 || f.Units != 9 || f.Amount != 9000 {
					t.Errorf("%s sid %d: %d orders, %d units, %d; want 3, 9, 9000", f.Email, f.SID, f.Orders, f.Units, f.Amount)
				}
			}
		})
	}
}
