package ingest

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// NDJSONOrder is one line of the orders-ndjson format (docs/IMPORT.md): an order of any
// channel, or (Type "product") a catalogue entry. Money is a decimal string, never a float.
type NDJSONOrder struct {
	Type         string       `json:"type,omitempty"` // "order" (default) or "product"
	OrderNumber  string       `json:"order_number,omitempty"`
	PurchaseTime string       `json:"purchase_time,omitempty"` // RFC 3339, or "YYYY-MM-DD HH:MM:SS" shop-local
	UpdatedTime  string       `json:"updated_time,omitempty"`
	Status       string       `json:"status,omitempty"`
	BuyerEmail   string       `json:"buyer_email,omitempty"`
	BuyerName    string       `json:"buyer_name,omitempty"`
	BuyerMobile  string       `json:"buyer_mobile,omitempty"`
	Currency     string       `json:"currency,omitempty"`
	CouponCode   string       `json:"coupon_code,omitempty"`
	Fulfilment   string       `json:"fulfilment,omitempty"`
	SalesChannel string       `json:"sales_channel,omitempty"`
	Items        []NDJSONItem `json:"items,omitempty"`

	// Catalogue entries (type "product").
	MSKU          string `json:"msku,omitempty"`
	ASIN          string `json:"asin,omitempty"`
	LocalSKU      string `json:"local_sku,omitempty"`
	LocalName     string `json:"local_name,omitempty"`
	Title         string `json:"title,omitempty"`
	SmallImageURL string `json:"small_image_url,omitempty"`
}

// NDJSONItem is one order line. Price is the line total; UnitPrice × Quantity stands in
// for it when Price is absent.
type NDJSONItem struct {
	SKU       string `json:"sku"`
	ASIN      string `json:"asin,omitempty"`
	Title     string `json:"title,omitempty"`
	Quantity  int64  `json:"quantity"`
	Price     string `json:"price,omitempty"`
	UnitPrice string `json:"unit_price,omitempty"`
	Tax       string `json:"tax,omitempty"`
	Status    string `json:"status,omitempty"`
}

// ndjsonRow is one parsed line.
type ndjsonRow struct {
	line    int
	order   *shopcrm.Order
	product *shopcrm.Product
}

// ndjsonReader reads orders-ndjson with the same contract as the Amazon readers.
type ndjsonReader struct {
	sc   *bufio.Scanner
	cr   *counter
	loc  *time.Location
	line int
}

type counter struct {
	r io.Reader
	n int64
}

func (c *counter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func newNDJSONReader(r io.Reader, loc *time.Location) (*ndjsonReader, error) {
	cr := &counter{r: r}
	dec, err := amazon.Decode(cr) // gzip and a BOM are as welcome here as in reports
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(dec)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	return &ndjsonReader{sc: sc, cr: cr, loc: loc}, nil
}

func (r *ndjsonReader) Offset() int64 { return r.cr.n }

func (r *ndjsonReader) Next() (ndjsonRow, error) {
	for r.sc.Scan() {
		r.line++
		text := strings.TrimSpace(r.sc.Text())
		if text == "" {
			continue
		}
		var in NDJSONOrder
		if err := json.Unmarshal([]byte(text), &in); err != nil {
			return ndjsonRow{}, &amazon.RowError{Line: r.line, Reason: "invalid JSON: " + err.Error()}
		}
		return r.convert(&in)
	}
	if err := r.sc.Err(); err != nil {
		return ndjsonRow{}, err
	}
	return ndjsonRow{}, io.EOF
}

func (r *ndjsonReader) fail(field, reason string) (ndjsonRow, error) {
	return ndjsonRow{}, &amazon.RowError{Line: r.line, Field: field, Reason: reason}
}

func (r *ndjsonReader) convert(in *NDJSONOrder) (ndjsonRow, error) {
	switch in.Type {
	case "product":
		if in.MSKU == "" {
			return r.fail("msku", "empty")
		}
		return ndjsonRow{line: r.line, product: &shopcrm.Product{MSKU: in.MSKU, ASIN: in.ASIN, LocalSKU: in.LocalSKU,
			LocalName: in.LocalName, Title: in.Title, SmallImageURL: in.SmallImageURL}}, nil
	case "", "order":
	default:
		return r.fail("type", "unknown type "+in.Type)
	}
	if in.OrderNumber == "" {
		return r.fail("order_number", "empty")
	}
	if len(in.BuyerMobile) > 32 {
		return r.fail("buyer_mobile", "longer than 32 characters")
	}
	pt, ok := r.parseTime(in.PurchaseTime)
	if !ok || pt.IsZero() {
		return r.fail("purchase_time", "invalid time "+quote(in.PurchaseTime))
	}
	ut, ok := r.parseTime(in.UpdatedTime)
	if !ok {
		return r.fail("updated_time", "invalid time "+quote(in.UpdatedTime))
	}
	o := &shopcrm.Order{Number: in.OrderNumber, BuyerEmail: in.BuyerEmail, BuyerName: in.BuyerName, PurchaseTime: pt,
		UpdatedTime: ut, Status: in.Status, Fulfilment: in.Fulfilment, SalesChannel: in.SalesChannel,
		Currency: in.Currency, CouponCode: in.CouponCode, BuyerMobile: in.BuyerMobile}
	for _, it := range in.Items {
		item, field, reason := convertItem(it)
		if reason != "" {
			return r.fail(field, reason)
		}
		o.Items = append(o.Items, item)
	}
	return ndjsonRow{line: r.line, order: o}, nil
}

func convertItem(it NDJSONItem) (shopcrm.OrderItem, string, string) {
	out := shopcrm.OrderItem{SKU: it.SKU, ASIN: it.ASIN, Title: it.Title, Quantity: it.Quantity, Status: it.Status}
	if it.SKU == "" {
		return out, "items.sku", "empty"
	}
	if it.Quantity < 0 {
		return out, "items.quantity", "negative"
	}
	if it.Quantity > shopcrm.MaxQuantity {
		return out, "items.quantity", "more than 1000000"
	}
	var err error
	switch {
	case it.Price != "":
		if out.Price, err = shopcrm.ParseAmount(it.Price); err != nil {
			return out, "items.price", err.Error()
		}
		if !shopcrm.LineAmountOK(out.Price) {
			return out, "items.price", "out of range"
		}
	case it.UnitPrice != "":
		unit, err := shopcrm.ParseAmount(it.UnitPrice)
		if err != nil {
			return out, "items.unit_price", err.Error()
		}
		if !shopcrm.LineAmountOK(unit) || !shopcrm.LineAmountOK(unit*shopcrm.Amount(it.Quantity)) {
			return out, "items.unit_price", "unit_price × quantity out of range"
		}
		out.Price = unit * shopcrm.Amount(it.Quantity)
	}
	if it.Tax != "" {
		if out.Tax, err = shopcrm.ParseAmount(it.Tax); err != nil {
			return out, "items.tax", err.Error()
		}
		if !shopcrm.LineAmountOK(out.Tax) {
			return out, "items.tax", "out of range"
		}
	}
	return out, "", ""
}

// parseTime takes RFC 3339 or a shop-local "YYYY-MM-DD HH:MM:SS"; empty is the zero time.
func (r *ndjsonReader) parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.ParseInLocation(time.DateTime, s, r.loc); err == nil {
		return t.UTC(), true
	}
	return time.Time{}, false
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// ndjsonLine adds a parsed line to the batch. A later copy of an order (by updated_time)
// replaces an earlier one, as with the All Orders report. Written buyer by buyer, the rows
// come back from a spool that keeps what convert sets (ndjsonCodec): a field convert sets
// must be kept there too.
func (b *builder) ndjsonLine(row ndjsonRow) error {
	if p := row.product; p != nil {
		p.SID = b.shop.SID
		return b.product(p)
	}
	in := row.order
	in.SID = b.shop.SID
	in.Currency = b.currency(in.Currency)
	version := in.UpdatedTime
	a, err := b.order(in.Number, row.line)
	if err != nil {
		return err
	}
	if a.o != nil && version.Before(a.version) {
		return nil
	}
	items := in.Items
	in.Items = nil
	a.o, a.lines, a.version, a.line = in, nil, version, row.line
	for _, it := range items {
		a.lines = append(a.lines, itemLine{it: it}) // lines of one SKU add up in finish
	}
	return nil
}
