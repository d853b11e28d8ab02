package ingest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// FuzzNDJSONReader holds the orders-ndjson reader to the contract of the Amazon readers
// (amazon/fuzz_test.go): rows and row errors come in increasing line order, the reader
// ends, and every order it returns is within the bounds the store sums safely.
func FuzzNDJSONReader(f *testing.F) {
	data, err := os.ReadFile("testdata/orders.ndjson")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"order_number":"1","purchase_time":"2024-01-01 00:00:00","items":[{"sku":"A","quantity":1000000,"unit_price":"10000000.00"}]}`))
	f.Add([]byte("\xef\xbb\xbf{}\n\n{\"type\":\"product\",\"msku\":\"A\"}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := newNDJSONReader(bytes.NewReader(data), time.UTC)
		if err != nil {
			return
		}
		last := 0
		for range 1 << 20 {
			row, err := r.Next()
			var re *amazon.RowError
			switch {
			case errors.As(err, &re):
				row.line = re.Line
			case err == io.EOF:
				return
			case err != nil:
				return // the file itself (a line past the buffer, bad gzip)
			}
			if row.line <= last {
				t.Fatalf("line %d after %d", row.line, last)
			}
			last = row.line
			if err != nil {
				continue
			}
			if o := row.order; o != nil {
				if o.Number == "" || o.PurchaseTime.IsZero() {
					t.Fatalf("line %d: order without number or purchase time: %+v", row.line, o)
				}
				for _, it := range o.Items {
					if it.Quantity < 0 || it.Quantity > shopcrm.MaxQuantity ||
						!shopcrm.LineAmountOK(it.Price) || !shopcrm.LineAmountOK(it.Tax) {
						t.Fatalf("line %d: item out of bounds: %+v", row.line, it)
					}
				}
			} else if row.product == nil || row.product.MSKU == "" {
				t.Fatalf("line %d: row with neither order nor product: %+v", row.line, row)
			}
		}
		t.Fatal("reader does not end")
	})
}
