package ingest

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// shipmentCodec spools the fields of a shipments row that the import reads
// (builder.shipment): strings as their length and bytes, numbers as varints, times as Unix
// seconds and nanoseconds (the store keeps the instant).
var shipmentCodec = spoolCodec[amazon.Shipment]{
	key: func(s *amazon.Shipment) (string, string) { return s.BuyerEmail, s.OrderID },
	encode: func(b []byte, s *amazon.Shipment) []byte {
		b = binary.AppendUvarint(b, uint64(s.Line))
		for _, v := range [...]string{s.OrderID, s.ShipmentID, s.ShipmentItemID, s.BuyerEmail, s.BuyerName, s.SKU,
			s.ProductName, s.Currency, s.SalesChannel} {
			b = appendString(b, v)
		}
		b = binary.AppendVarint(b, int64(s.Quantity))
		b = binary.AppendVarint(b, int64(s.ItemPrice))
		b = binary.AppendVarint(b, int64(s.ItemTax))
		b = appendTime(b, s.PurchaseDate)
		return appendTime(b, s.ShipmentDate)
	},
	decode: func(d *spoolDecoder) (s amazon.Shipment) {
		s.Line = int(d.uvarint())
		for _, p := range [...]*string{&s.OrderID, &s.ShipmentID, &s.ShipmentItemID, &s.BuyerEmail, &s.BuyerName, &s.SKU,
			&s.ProductName, &s.Currency, &s.SalesChannel} {
			*p = d.string()
		}
		s.Quantity = int(d.varint())
		s.ItemPrice = shopcrm.Amount(d.varint())
		s.ItemTax = shopcrm.Amount(d.varint())
		s.PurchaseDate = d.time()
		s.ShipmentDate = d.time()
		return s
	},
}

func appendString(b []byte, v string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(v))), v...)
}

// appendTime writes an instant as Unix seconds and nanoseconds, the zero time as 0 and -1.
func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return binary.AppendVarint(binary.AppendVarint(b, 0), -1)
	}
	return binary.AppendVarint(binary.AppendVarint(b, t.Unix()), int64(t.Nanosecond()))
}

// ndjsonCodec spools an orders-ndjson row as the reader made it (builder.ndjsonLine reads
// all of it): a catalogue entry, or an order with its lines.
var ndjsonCodec = spoolCodec[ndjsonRow]{
	key: func(r *ndjsonRow) (string, string) {
		if r.product != nil {
			return "product:" + r.product.MSKU, "product:" + r.product.MSKU
		}
		return r.order.BuyerEmail, r.order.Number
	},
	encode: func(b []byte, r *ndjsonRow) []byte {
		b = binary.AppendUvarint(b, uint64(r.line))
		if p := r.product; p != nil {
			b = append(b, 'p')
			for _, v := range [...]string{p.MSKU, p.ASIN, p.LocalSKU, p.LocalName, p.Title, p.SmallImageURL} {
				b = appendString(b, v)
			}
			return b
		}
		o := r.order
		b = append(b, 'o')
		for _, v := range [...]string{o.Number, o.BuyerEmail, o.BuyerName, o.BuyerMobile, o.Status, o.Fulfilment,
			o.SalesChannel, o.Currency, o.CouponCode} {
			b = appendString(b, v)
		}
		b = appendTime(b, o.PurchaseTime)
		b = appendTime(b, o.UpdatedTime)
		b = binary.AppendUvarint(b, uint64(len(o.Items)))
		for _, it := range o.Items {
			for _, v := range [...]string{it.SKU, it.ASIN, it.Title, it.Status} {
				b = appendString(b, v)
			}
			b = binary.AppendVarint(b, it.Quantity)
			b = binary.AppendVarint(b, int64(it.Price))
			b = binary.AppendVarint(b, int64(it.Tax))
		}
		return b
	},
	decode: func(d *spoolDecoder) (r ndjsonRow) {
		r.line = int(d.uvarint())
		switch d.byte() {
		case 'p':
			p := &shopcrm.Product{}
			for _, f := range [...]*string{&p.MSKU, &p.ASIN, &p.LocalSKU, &p.LocalName, &p.Title, &p.SmallImageURL} {
				*f = d.string()
			}
			r.product = p
			return r
		case 'o':
		default:
			d.bad = true
			return r
		}
		o := &shopcrm.Order{}
		for _, f := range [...]*string{&o.Number, &o.BuyerEmail, &o.BuyerName, &o.BuyerMobile, &o.Status, &o.Fulfilment,
			&o.SalesChannel, &o.Currency, &o.CouponCode} {
			*f = d.string()
		}
		o.PurchaseTime = d.time()
		o.UpdatedTime = d.time()
		n := d.uvarint()
		if n > uint64(len(d.rec)) { // a damaged count: no record holds that many lines
			d.bad = true
			return r
		}
		if n > 0 {
			o.Items = make([]shopcrm.OrderItem, n)
		}
		for i := range o.Items {
			it := &o.Items[i]
			for _, f := range [...]*string{&it.SKU, &it.ASIN, &it.Title, &it.Status} {
				*f = d.string()
			}
			it.Quantity = d.varint()
			it.Price = shopcrm.Amount(d.varint())
			it.Tax = shopcrm.Amount(d.varint())
		}
		r.order = o
		return r
	},
}

var errSpool = errors.New("a spooled row is damaged")

type spoolDecoder struct {
	rec  []byte
	text string // rec as a string, for the fields
	pos  int
	bad  bool
}

func (d *spoolDecoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.rec[d.pos:])
	d.advance(n)
	return v
}

func (d *spoolDecoder) varint() int64 {
	v, n := binary.Varint(d.rec[d.pos:])
	d.advance(n)
	return v
}

// advance moves past a varint of n bytes; n <= 0 is the decoder's mark of a bad one.
func (d *spoolDecoder) advance(n int) {
	if n <= 0 {
		d.bad = true
		return
	}
	d.pos += n
}

func (d *spoolDecoder) string() string {
	n := int(d.uvarint())
	if d.bad || n > len(d.text)-d.pos {
		d.bad = true
		return ""
	}
	s := d.text[d.pos : d.pos+n]
	d.pos += n
	return s
}

func (d *spoolDecoder) time() time.Time {
	sec, nsec := d.varint(), d.varint()
	if nsec < 0 {
		return time.Time{}
	}
	return time.Unix(sec, nsec).UTC()
}

func (d *spoolDecoder) byte() byte {
	if d.pos >= len(d.rec) {
		d.bad = true
		return 0
	}
	d.pos++
	return d.rec[d.pos-1]
}
