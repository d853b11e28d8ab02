package lingxing

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
)

// BenchmarkEncodeCustomerPage encodes the largest customer-list page (200 rows) as the
// server writes it.
func BenchmarkEncodeCustomerPage(b *testing.B) {
	shops := map[int64]*shopcrm.Shop{1: {SID: 1, Name: "US shop", Country: "美国"}, 2: {SID: 2, Name: "UK shop", Country: "英国"}}
	rows := make([]customerRow, 200)
	for i := range rows {
		r := &shopcrm.BuyerRow{Email: "t83lnqt83k5317b@marketplace.amazon.com", Name: "linda meckel", SIDs: []int64{1, 2},
			Segments: []string{"VIP", "Repeat buyers"}}
		r.Orders, r.Units, r.Amount, r.Currency, r.RefundOrders = 7, 12, 123456, "USD", 1
		r.FirstPurchase, r.LastPurchase = time.Unix(1700000000, 0), time.Unix(1710000000, 0)
		rows[i] = showBuyer(r, shops)
	}
	s := &Server{Now: time.Now}
	w := discardWriter{}
	b.ReportAllocs()
	for b.Loop() {
		s.writeData(w, map[string]any{"list": rows, "total": 1000000}, 1000000)
	}
}

type discardWriter struct{}

func (discardWriter) Header() http.Header         { return http.Header{} }
func (discardWriter) Write(p []byte) (int, error) { return io.Discard.Write(p) }
func (discardWriter) WriteHeader(int)             {}
