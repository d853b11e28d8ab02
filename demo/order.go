package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
)

type amazonBuyer struct{ email, name string }

// line is one generated order item.
type line struct {
	k         int
	qty       int64
	price     shopcrm.Amount // line total
	tax       shopcrm.Amount
	cancelled bool
}

// amazonOrder writes one Amazon order to the reports that carry it, the way Amazon would:
// an FBA order in the shipments report (which names the buyer), an FBM order in the
// seller's own order export (orders-ndjson, which does), and recent or cancelled orders
// also in the All Orders report. Where two files carry the same order they agree on every
// value, so importing them in any order, any number of times, gives the same rows.
func (g *gen) amazonOrder(r *rand.Rand, f *shopFiles, sp shopSpec, b *amazonBuyer, number string) {
	purchase := purchaseTime(r)
	fba := r.IntN(5) != 0
	mcf := fba && r.IntN(100) == 0 // multi-channel: shipped by Amazon, sold elsewhere, no buyer
	cancelled := r.IntN(33) == 0
	currency := shopcrm.Marketplaces[sp.mkt].Currency
	lines := make([]line, 1+r.IntN(4))
	k0 := r.IntN(skusPerShop)
	for j := range lines {
		l := &lines[j]
		l.k, l.qty = (k0+7*j)%skusPerShop, 1 // distinct SKUs: 7 is prime to 60
		if r.IntN(4) == 0 {
			l.qty = int64(1 + r.IntN(3))
		}
		l.price = shopcrm.Amount(int64(499+r.IntN(7500)) * sp.priceFactor * l.qty)
		if sp.mkt == "US" || sp.mkt == "CA" {
			l.tax = l.price * 8 / 100
		}
		l.cancelled = cancelled
	}
	if !cancelled && len(lines) > 1 && r.IntN(40) == 0 {
		lines[len(lines)-1].cancelled = true
	}
	shipped := purchase.Add(time.Duration(4+r.IntN(44)) * time.Hour)
	updated := shipped.Add(2 * time.Hour)
	if cancelled {
		updated = purchase.Add(time.Hour)
	}
	status := "Shipped"
	if cancelled {
		status = "Cancelled"
	}
	channel := sp.channel
	if mcf {
		channel = "Non-Amazon"
	}
	switch {
	case fba && !cancelled:
		g.shipments(r, f, sp, b, mcf, number, purchase, shipped, currency, channel, lines)
	case !fba:
		o := ingest.NDJSONOrder{OrderNumber: number, PurchaseTime: iso(purchase), UpdatedTime: iso(updated), Status: status,
			BuyerEmail: b.email, BuyerName: b.name, Currency: currency, Fulfilment: shopcrm.FulfilmentFBM, SalesChannel: channel}
		for _, l := range lines {
			it := ingest.NDJSONItem{SKU: sku(sp.sid, l.k), ASIN: asin(sp.sid, l.k), Title: title(l.k), Quantity: l.qty,
				Price: l.price.String(), Tax: l.tax.String(), Status: "Shipped"}
			if l.cancelled { // as All Orders writes a cancelled line: nothing bought
				it.Quantity, it.Price, it.Tax, it.Status = 0, "0.00", "0.00", "Cancelled"
			}
			o.Items = append(o.Items, it)
		}
		f.ndjson(o)
	}
	if cancelled || purchase.After(Reference.AddDate(0, 0, -90)) {
		g.allOrders(f, sp, fba, number, purchase, updated, status, currency, channel, lines)
	}
	if !cancelled && !mcf {
		g.afterSales(r, f, sp, b, fba, number, purchase, currency, lines)
	}
}

func (g *gen) shipments(r *rand.Rand, f *shopFiles, sp shopSpec, b *amazonBuyer, mcf bool, number string,
	purchase, shipped time.Time, currency, channel string, lines []line) {
	t := f.report(ingest.FBAShipments)
	email, name := b.email, b.name
	if mcf {
		email, name = "", ""
	}
	for j, l := range lines {
		if l.cancelled {
			continue
		}
		// Some multi-unit items leave in two parcels: two lines that add up to the item.
		parts := []line{l}
		if l.qty > 1 && r.IntN(5) == 0 {
			a := line{k: l.k, qty: 1, price: l.price / shopcrm.Amount(l.qty), tax: l.tax / shopcrm.Amount(l.qty)}
			parts = []line{a, {k: l.k, qty: l.qty - 1, price: l.price - a.price, tax: l.tax - a.tax}}
		}
		for p, part := range parts {
			t.set("amazon-order-id", number)
			t.set("shipment-id", fmt.Sprintf("D%s%d", number[4:11], p))
			t.set("shipment-item-id", fmt.Sprintf("D%s%d%d", number[12:], j, p))
			t.set("purchase-date", iso(purchase))
			t.set("payments-date", iso(purchase))
			t.set("shipment-date", iso(shipped.Add(time.Duration(p)*time.Hour)))
			t.set("reporting-date", iso(shipped.Add(3*time.Hour)))
			t.set("buyer-email", email)
			t.set("buyer-name", name)
			t.set("sku", sku(sp.sid, l.k))
			t.set("product-name", title(l.k))
			t.set("quantity-shipped", strconv.FormatInt(part.qty, 10))
			t.set("currency", currency)
			t.set("item-price", part.price.String())
			t.set("item-tax", part.tax.String())
			t.set("ship-service-level", "Standard")
			t.set("recipient-name", name)
			t.set("ship-country", sp.mkt)
			t.set("fulfillment-center-id", "LEX1")
			t.set("fulfillment-channel", "AFN")
			t.set("sales-channel", channel)
			t.end()
		}
	}
}

func (g *gen) allOrders(f *shopFiles, sp shopSpec, fba bool, number string, purchase, updated time.Time,
	status, currency, channel string, lines []line) {
	t := f.report(ingest.AllOrders)
	fc := "Merchant"
	if fba {
		fc = "Amazon"
	}
	for _, l := range lines {
		t.set("amazon-order-id", number)
		t.set("purchase-date", iso(purchase))
		t.set("last-updated-date", iso(updated))
		t.set("order-status", status)
		t.set("fulfillment-channel", fc)
		t.set("sales-channel", channel)
		t.set("ship-service-level", "Standard")
		t.set("product-name", title(l.k))
		t.set("sku", sku(sp.sid, l.k))
		t.set("asin", asin(sp.sid, l.k))
		t.set("currency", currency)
		t.set("ship-country", sp.mkt)
		t.set("is-business-order", "false")
		if l.cancelled { // Amazon leaves the price of a cancelled line empty
			t.set("item-status", "Cancelled")
			t.set("quantity", "0")
		} else {
			t.set("item-status", "Shipped")
			t.set("quantity", strconv.FormatInt(l.qty, 10))
			t.set("item-price", l.price.String())
			t.set("item-tax", l.tax.String())
		}
		t.end()
	}
}
