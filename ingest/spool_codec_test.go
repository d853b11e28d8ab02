package ingest

import (
	"bufio"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// The fields builder.shipment reads survive the spool exactly; the others are not kept.
func TestSpoolRoundTrip(t *testing.T) {
	pdt := time.FixedZone("PDT", -7*3600)
	rows := []amazon.Shipment{
		{Line: 2, OrderID: "111-0000001-0000001", ShipmentID: "S1", ShipmentItemID: "S1-1",
			PurchaseDate: time.Date(2024, 3, 1, 10, 0, 0, 0, pdt), ShipmentDate: time.Date(2024, 3, 2, 8, 0, 0, 500, time.UTC),
			BuyerEmail: "a1b2c3@marketplace.amazon.com", BuyerName: "Zoë Ünal 山田", SKU: "SKU-RED",
			ProductName: "Mug, \"red\"\twith a tab\nand a line", Quantity: 3, Currency: "EUR",
			ItemPrice: -1999, ItemTax: 1 << 40, SalesChannel: "Amazon.de"},
		{Line: 1 << 30, OrderID: "x", SKU: "y", PurchaseDate: time.Unix(0, 0)}, // empty strings, the zero time, the epoch
	}
	sp := &buyerSpool[amazon.Shipment]{codec: shipmentCodec}
	var buf []byte
	for i := range rows {
		buf = sp.encode(buf, &rows[i])
	}
	r := bufio.NewReader(bytes.NewReader(buf))
	var total int64
	for i, want := range rows {
		got, n, err := sp.decode(r)
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		total += n
		want.PurchaseDate, want.ShipmentDate = utc(want.PurchaseDate), utc(want.ShipmentDate)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("row %d (-want +got):\n%s", i, diff)
		}
	}
	if _, _, err := sp.decode(r); err != io.EOF {
		t.Errorf("after the last row: %v, want EOF", err)
	}
	if total != int64(len(buf)) {
		t.Errorf("sizes add up to %d, want %d", total, len(buf))
	}
	// A record cut short or with a wrong length is reported, not read as a row.
	for _, cut := range [][]byte{buf[:10], append([]byte{3, 0, 0, 0}, buf[4:7]...)} {
		if _, _, err := sp.decode(bufio.NewReader(bytes.NewReader(cut))); err != errSpool {
			t.Errorf("damaged record % x: %v, want errSpool", cut[:4], err)
		}
	}
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// An orders-ndjson row, order or catalogue entry, survives the spool whole.
func TestSpoolRoundTripNDJSON(t *testing.T) {
	rows := []ndjsonRow{
		{line: 7, order: &shopcrm.Order{Number: "W-1", BuyerEmail: "Ann@Shop.example", BuyerName: "Ann Lee",
			BuyerMobile: "+1 555 0100", PurchaseTime: time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC), Status: "paid",
			Fulfilment: "FBM", SalesChannel: "web", Currency: "EUR", CouponCode: "SPRING10",
			Items: []shopcrm.OrderItem{{SKU: "A", ASIN: "B0", Title: "Mug « A »", Quantity: 2, Price: 2598, Tax: -1, Status: "paid"},
				{SKU: "B", Quantity: 0}}}},
		{line: 8, order: &shopcrm.Order{Number: "W-2", PurchaseTime: time.Unix(1e9, 5).UTC()}},
		{line: 9, product: &shopcrm.Product{MSKU: "A", ASIN: "B0", LocalSKU: "a", LocalName: "mug", Title: "Mug",
			SmallImageURL: "https://img.example/a.jpg"}},
	}
	sp := &buyerSpool[ndjsonRow]{codec: ndjsonCodec}
	var buf []byte
	for i := range rows {
		buf = sp.encode(buf, &rows[i])
	}
	r := bufio.NewReader(bytes.NewReader(buf))
	for i, want := range rows {
		got, _, err := sp.decode(r)
		if err != nil {
			t.Fatalf("row %d: %v", i, err)
		}
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(ndjsonRow{})); diff != "" {
			t.Errorf("row %d (-want +got):\n%s", i, diff)
		}
	}
	// A record whose line count runs past its bytes is damaged, not a huge allocation.
	bad := sp.encode(nil, &rows[1])
	bad[len(bad)-1] = 0x7f // the line count, last in a record without lines
	if _, _, err := sp.decode(bufio.NewReader(bytes.NewReader(bad))); err != errSpool {
		t.Errorf("damaged line count: %v, want errSpool", err)
	}
}
