package ingest

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// orderAgg assembles one order from its report lines.
type orderAgg struct {
	o       *shopcrm.Order
	line    int       // first line, for reporting an order that fails validation
	version time.Time // last-updated time of the copy being assembled
	lines   []itemLine
}

// itemLine is one report line of an order. key tells a repeated line (the same shipment
// item or order item read twice, which replaces) from a further line of the same SKU (a
// split shipment, which adds up).
type itemLine struct {
	key string
	it  shopcrm.OrderItem
}

func (a *orderAgg) add(key string, it shopcrm.OrderItem) {
	for i := range a.lines {
		if a.lines[i].key == key {
			a.lines[i].it = it
			return
		}
	}
	if a.lines == nil {
		a.lines = make([]itemLine, 0, 2) // most orders have one or two lines
	}
	a.lines = append(a.lines, itemLine{key, it})
}

func cancelled(status string) bool { return strings.EqualFold(status, "Cancelled") }

// finish folds the lines into one item per SKU, the store's key for an order line:
// quantities, prices and taxes of the live lines add up; a cancelled line only stands
// when every line of its SKU is cancelled.
func (a *orderAgg) finish() {
	items := make([]shopcrm.OrderItem, 0, len(a.lines))
	for _, l := range a.lines {
		in, j := l.it, -1
		for i := range items {
			if items[i].SKU == in.SKU {
				j = i
				break
			}
		}
		switch {
		case j < 0:
			items = append(items, in)
		case cancelled(in.Status):
			// a cancelled line adds nothing to a live one
		case cancelled(items[j].Status):
			items[j] = fill(in, items[j])
		default:
			if sum, ok := shopcrm.AddParcels(items[j], in); ok {
				items[j] = fill(sum, items[j])
				continue
			}
			it := &items[j]
			it.Quantity += in.Quantity
			it.Price += in.Price
			it.Tax += in.Tax
			*it = fill(*it, in)
			if in.Promotion != "" && !strings.Contains(it.Promotion, in.Promotion) {
				it.Promotion = strings.TrimPrefix(it.Promotion+","+in.Promotion, ",")
			}
		}
	}
	a.o.Items = items
}

// fill takes the descriptive fields dst lacks from src.
func fill(dst, src shopcrm.OrderItem) shopcrm.OrderItem {
	if dst.Title == "" {
		dst.Title = src.Title
	}
	if dst.ASIN == "" {
		dst.ASIN = src.ASIN
	}
	return dst
}

func (b *builder) currency(c string) string {
	if c == "" {
		return b.shop.Currency
	}
	return c
}

// shipment reads a line of the FBA shipments report: the report that names the buyer.
// One order item shipped in several parcels has several lines, which add up. Written buyer
// by buyer, the lines come back from a spool that keeps only the fields read here
// (shipmentCodec): a field read here must be kept there too.
func (b *builder) shipment(s amazon.Shipment) error {
	if s.SKU == "" {
		b.res.skip(s.Line, "sku", "empty")
		return nil
	}
	a, err := b.order(s.OrderID, s.Line)
	if err != nil {
		return err
	}
	if a.o == nil {
		a.o = &shopcrm.Order{SID: b.shop.SID, Number: s.OrderID, PurchaseTime: s.PurchaseDate, Status: "Shipped",
			Fulfilment: shopcrm.FulfilmentFBA, SalesChannel: s.SalesChannel, Currency: b.currency(s.Currency)}
	}
	if a.o.BuyerEmail == "" {
		a.o.BuyerEmail, a.o.BuyerName = s.BuyerEmail, s.BuyerName
	}
	// The shipment is the latest news this report has of the order; an All Orders copy
	// updated later keeps its status.
	upd := s.ShipmentDate
	if upd.IsZero() {
		upd = s.PurchaseDate
	}
	if upd.After(a.o.UpdatedTime) {
		a.o.UpdatedTime = upd
	}
	// The parcel is the shipment item; a report without its id names the shipment, or
	// only its date, and the file's rows of one shipment and SKU are numbered.
	parcel := s.ShipmentItemID
	if parcel == "" {
		shipment := s.ShipmentID
		if shipment == "" {
			shipment = s.ShipmentDate.UTC().Format(time.RFC3339)
		}
		key := s.OrderID + ":" + s.SKU + ":"
		parcel = strings.TrimPrefix(b.nth(key+shipment), key)
	}
	a.add(parcel, shopcrm.OrderItem{SKU: s.SKU, Title: s.ProductName, Quantity: int64(s.Quantity), Price: s.ItemPrice,
		Tax: s.ItemTax, Status: "Shipped", Parcels: shopcrm.Parcel(parcel)})
	return nil
}

// orderLine reads a line of the All Orders report: status and amounts, no buyer (the store
// keeps the buyer it knows for the order id).
func (b *builder) orderLine(l amazon.OrderLine) error {
	if l.SKU == "" {
		b.res.skip(l.Line, "sku", "empty")
		return nil
	}
	a, err := b.order(l.OrderID, l.Line)
	if err != nil {
		return err
	}
	if a.o != nil && !l.LastUpdated.Equal(a.version) {
		if l.LastUpdated.Before(a.version) {
			return nil // an older copy of an order this batch already has
		}
		a.o, a.lines = nil, nil // a newer copy replaces the whole order
	}
	if a.o == nil {
		a.o = &shopcrm.Order{SID: b.shop.SID, Number: l.OrderID, PurchaseTime: l.PurchaseDate, UpdatedTime: l.LastUpdated,
			Status: l.OrderStatus, Fulfilment: fulfilment(l.FulfillmentChannel), SalesChannel: l.SalesChannel,
			Currency: b.currency(l.Currency)}
		a.version, a.line = l.LastUpdated, l.Line
	}
	key := l.OrderItemID
	if key == "" {
		key = "line:" + strconv.Itoa(l.Line)
	}
	a.add(key, shopcrm.OrderItem{SKU: l.SKU, ASIN: l.ASIN, Title: l.ProductName, Quantity: int64(l.Quantity),
		Price: l.ItemPrice, Tax: l.ItemTax, Status: l.ItemStatus, Promotion: strings.Join(l.PromotionIDs, ",")})
	return nil
}

// fulfilment maps the All Orders channel (Amazon/Merchant, or AFN/MFN from other sources).
func fulfilment(ch string) string {
	switch strings.ToLower(ch) {
	case "amazon", "afn":
		return shopcrm.FulfilmentFBA
	case "merchant", "mfn":
		return shopcrm.FulfilmentFBM
	}
	return ""
}
