package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
	"github.com/shopcrm/shopcrm/sqlstore"
	"github.com/shopcrm/shopcrm/storetest"
)

// Two units of one order received together, in a returns report without license plate
// numbers, are two returns; a report that overlaps the first keys them the same way.
func TestImportFBAReturnsWithoutLPN(t *testing.T) {
	const head = "return-date\torder-id\tsku\tquantity\tfulfillment-center-id\tstatus\tlicense-plate-number\n"
	unit := "2024-04-20T09:30:00+00:00\t111-0000003-0000003\tSKU-GRN\t1\tPHX3\tUnit returned to inventory\t\n"
	other := "2024-04-21T10:00:00+00:00\t111-0000003-0000003\tSKU-GRN\t1\tPHX3\tUnit returned to inventory\t\n"
	later := "2024-05-02T08:00:00+00:00\t111-0000004-0000004\tSKU-RED\t1\tLEX1\tUnit returned to inventory\t\n"
	dir := t.TempDir()
	april := writeFile(t, dir, "april.txt", head+unit+unit+other)
	overlap := writeFile(t, dir, "april-may.txt", head+unit+other+unit+later)
	storetest.Engines(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		mustShop(t, s, 1, "US")
		im := &ingest.Importer{Store: s}
		for _, step := range []struct {
			path string
			want shopcrm.WriteResult
		}{
			{april, shopcrm.WriteResult{Inserted: 3}},
			{april, shopcrm.WriteResult{Unchanged: 3}},
			{overlap, shopcrm.WriteResult{Inserted: 1, Unchanged: 3}},
		} {
			res, err := im.ImportFile(ctx, 1, ingest.FBAReturns, step.path)
			if err != nil {
				t.Fatal(err)
			}
			if res.WriteResult != step.want {
				t.Errorf("%s: %+v, want %+v", filepath.Base(step.path), res.WriteResult, step.want)
			}
		}
		ids := storetest.Texts(t, s, `SELECT item_identifier FROM after_sales ORDER BY item_identifier`)
		want := []string{
			"fbaret:111-0000003-0000003:SKU-GRN:2024-04-20T09:30:00Z:PHX3",
			"fbaret:111-0000003-0000003:SKU-GRN:2024-04-20T09:30:00Z:PHX3#2",
			"fbaret:111-0000003-0000003:SKU-GRN:2024-04-21T10:00:00Z:PHX3",
			"fbaret:111-0000004-0000004:SKU-RED:2024-05-02T08:00:00Z:LEX1",
		}
		if diff := cmp.Diff(want, ids); diff != "" {
			t.Errorf("after-sale keys (-want +got):\n%s", diff)
		}
	})
}
