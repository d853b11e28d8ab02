package ingest_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// A product name quoted over three lines is one row: its line breaks reach the stored title,
// and the skipped row after it is reported on its own physical line.
func TestImportWrappedProductName(t *testing.T) {
	const head = "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tproduct-name\tsku\tquantity\tcurrency\titem-price\n"
	file := head +
		"112-0000001-0000001\t2024-03-01T10:00:00+00:00\t2024-03-02T00:00:00+00:00\tShipped\t\"Mug:\r\nred, 12 oz\r\n(2 pack)\"\tSKU-RED\t1\tUSD\t10.00\r\n" +
		"112-0000002-0000002\t2024-03-01T10:00:00+00:00\t2024-03-02T00:00:00+00:00\tShipped\tMug\tSKU-RED\t1\tUSD\tx\r\n" +
		"112-0000003-0000003\t2024-03-01T10:00:00+00:00\t2024-03-02T00:00:00+00:00\tShipped\t12\" Mug\tSKU-BIG\t2\tUSD\t30.00\r\n"
	path := writeFile(t, t.TempDir(), "orders.txt", file)
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		im := &ingest.Importer{Store: s}
		res, err := im.ImportFile(ctx, 1, ingest.AllOrders, path)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Skips) != 1 || res.SkipString(res.Skips[0]) != path+`:5: item-price: invalid amount "x"` {
			t.Errorf("skips %+v", res.Skips)
		}
		if res.Rows != 3 || res.WriteResult != (shopcrm.WriteResult{Inserted: 2}) {
			t.Errorf("result %+v", res)
		}
		titles := storetest.Texts(t, s, `SELECT title FROM order_items ORDER BY sku DESC`)
		if diff := cmp.Diff([]string{"Mug:\nred, 12 oz\n(2 pack)", `12" Mug`}, titles); diff != "" {
			t.Errorf("titles (-want +got):\n%s", diff)
		}
		again, err := im.ImportFile(ctx, 1, ingest.AllOrders, path)
		if err != nil {
			t.Fatal(err)
		}
		if again.WriteResult != (shopcrm.WriteResult{Unchanged: 2}) {
			t.Errorf("second import %+v", again.WriteResult)
		}
	})
}
