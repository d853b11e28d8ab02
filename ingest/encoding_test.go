package ingest_test

import (
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/japanese"

	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// A shipments report of an Amazon.co.jp shop written in Shift_JIS, as Seller Central writes
// Japanese files, keeps its buyer's and product's names; the same bytes in a US shop are
// read as Windows-1252, as before.
func TestImportShiftJIS(t *testing.T) {
	text := "amazon-order-id\tshipment-item-id\tpurchase-date\tbuyer-email\tbuyer-name\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\n" +
		"250-0000001-0000001\tSI1\t2024-03-01T10:00:00+09:00\tyamada@x.jp\t山田 太郎\tSKU-A\tマグカップ（赤）\t1\tJPY\t1500\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/jp.txt"
	if err := os.WriteFile(path, []byte(sjis), 0o600); err != nil {
		t.Fatal(err)
	}
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "JP")
		mustShop(t, s, 2, "US")
		im := &ingest.Importer{Store: s}
		for _, sid := range []int64{1, 2} {
			if _, err := im.ImportFile(ctx, sid, ingest.FBAShipments, path); err != nil {
				t.Fatal(err)
			}
		}
		var got [][2]string
		rows, err := s.DB().Query(`SELECT o.buyer_name, i.title FROM orders o JOIN order_items i ON i.order_id = o.id ORDER BY o.sid`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var name, title string
			if err := rows.Scan(&name, &title); err != nil {
				t.Fatal(err)
			}
			got = append(got, [2]string{name, title})
		}
		if len(got) != 2 {
			t.Fatalf("%d orders, want 2", len(got))
		}
		if want := [2]string{"山田 太郎", "マグカップ（赤）"}; got[0] != want {
			t.Errorf("JP shop: %q, want %q", got[0], want)
		}
		if cmp.Equal(got[1], got[0]) {
			t.Errorf("US shop decoded Shift_JIS too: %q", got[1])
		}
		var name string
		s.DB().QueryRow(`SELECT full_name FROM customers WHERE email_key = 'yamada@x.jp'`).Scan(&name)
		if name != "山田 太郎" {
			t.Errorf("customer name %q, want 山田 太郎", name)
		}
	})
}
