package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/sqlstore"
)

type gen struct {
	rng   *rand.Rand
	shops []shopSpec
}

var (
	firstNames = []string{"linda", "john", "mary", "james", "patricia", "robert", "jennifer", "michael", "elizabeth",
		"william", "barbara", "david", "susan", "richard", "jessica", "joseph", "sarah", "thomas", "karen", "charles"}
	lastNames = []string{"smith", "johnson", "williams", "brown", "jones", "garcia", "miller", "davis", "rodriguez",
		"martinez", "hernandez", "lopez", "gonzalez", "wilson", "anderson", "taylor", "moore", "jackson", "martin", "meckel"}
	fbaReasons = []string{"UNWANTED_ITEM", "DEFECTIVE", "NOT_COMPATIBLE", "ORDERED_WRONG_ITEM", "QUALITY_UNACCEPTABLE", "DAMAGED_BY_CARRIER"}
	mfnReasons = []string{"CR-UNWANTED_ITEM", "CR-DEFECTIVE", "CR-ORDERED_WRONG_ITEM", "CR-MISSING_PARTS", "AMZ-PG-BAD-DESC"}
	carriers   = []string{"USPS", "UPS", "FedEx", "DHL"}
)

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

// buyer generates buyer i's orders with their after-sales and feedback.
func (g *gen) buyer(i int, w *writer) {
	r := g.rng
	ownShop := r.IntN(20) == 0 // about 5 % are own-shop customers
	email := make([]byte, 15)
	for k := range email {
		email[k] = alnum[r.IntN(len(alnum))]
	}
	name := firstNames[r.IntN(len(firstNames))] + " " + lastNames[r.IntN(len(lastNames))]
	home := g.shops[r.IntN(len(g.shops))]
	n := g.orderCount()
	for k := 0; k < n; k++ {
		sp := home
		if r.IntN(5) == 0 {
			sp = g.shops[r.IntN(len(g.shops))]
		}
		o := &shopcrm.Order{SID: sp.sid, BuyerName: name, Status: "Shipped", Fulfilment: shopcrm.FulfilmentFBA,
			SalesChannel: "Amazon." + shopcrm.Marketplaces[sp.mkt].Code, Currency: shopcrm.Marketplaces[sp.mkt].Currency}
		o.BuyerEmail = string(email) + "@marketplace.amazon.com"
		o.Number = fmt.Sprintf("%03d-%07d-%07d", 100+i%900, i, k)
		if ownShop {
			sp = shopSpec{sid: OwnShopSID, priceFactor: 7}
			o.SID, o.Currency, o.SalesChannel, o.Fulfilment = OwnShopSID, "CNY", "Own shop", shopcrm.FulfilmentFBM
			o.BuyerEmail = fmt.Sprintf("%s.%s%d@example.com", name[:3], string(email[:5]), i)
			o.Number = fmt.Sprintf("S%08d-%02d", i, k)
			if r.IntN(3) == 0 {
				o.CouponCode = []string{"WELCOME10", "VIP20"}[r.IntN(2)]
			}
		}
		if r.IntN(4) == 0 {
			o.Fulfilment = shopcrm.FulfilmentFBM
		}
		o.PurchaseTime = Reference.Add(-time.Duration(r.Int64N(int64(3 * 365 * 24 * time.Hour)))).Truncate(time.Second)
		o.UpdatedTime = o.PurchaseTime.Add(time.Duration(1+r.IntN(72)) * time.Hour)
		if r.IntN(33) == 0 {
			o.Status = "Cancelled"
		}
		items := 1 + r.IntN(4)
		for j := 0; j < items; j++ {
			k := r.IntN(skusPerShop)
			qty := int64(1 + r.IntN(3))
			if r.IntN(4) != 0 {
				qty = 1
			}
			price := shopcrm.Amount(int64(499+r.IntN(7500)) * sp.priceFactor * qty)
			o.Items = append(o.Items, shopcrm.OrderItem{SKU: sku(sp.sid, k), ASIN: asin(sp.sid, k), Quantity: qty, Price: price,
				Title: fmt.Sprintf("%s, model %d", productNames[k%len(productNames)], k)})
		}
		w.orders = append(w.orders, o)
		if o.Status != "Cancelled" {
			g.afterSales(o, w)
		}
	}
}

// afterSales adds ~5 % refunds, ~3 % returns, ~0.5 % exchanges and ~8 % feedback per order.
func (g *gen) afterSales(o *shopcrm.Order, w *writer) {
	r := g.rng
	it := o.Items[r.IntN(len(o.Items))]
	at := func(maxDays int) time.Time {
		return o.PurchaseTime.Add(time.Duration(24+r.IntN(maxDays*24)) * time.Hour)
	}
	if r.IntN(20) == 0 {
		t := at(30)
		ship := shopcrm.Amount(int64(r.IntN(600)))
		w.afterSales = append(w.afterSales, &shopcrm.AfterSale{ItemIdentifier: "refund:" + o.Number + ":" + it.SKU, SID: o.SID,
			OrderNumber: o.Number, Type: shopcrm.AfterSaleRefund, SKU: it.SKU, ASIN: it.ASIN, Quantity: it.Quantity, Time: t,
			DataUpdateTime: t.Add(6 * time.Hour), Currency: o.Currency,
			AmountDetails: []shopcrm.MoneyDetail{{Type: "Principal", Amount: -it.Price}, {Type: "ShippingCharge", Amount: -ship}},
			CostDetails: []shopcrm.MoneyDetail{{Type: "Commission", Amount: it.Price * 15 / 100},
				{Type: "RefundCommission", Amount: -it.Price * 3 / 100}}})
	}
	if r.IntN(33) == 0 {
		t := at(45)
		a := &shopcrm.AfterSale{ItemIdentifier: "return:" + o.Number + ":" + it.SKU, SID: o.SID, OrderNumber: o.Number,
			Type: shopcrm.AfterSaleReturn, SKU: it.SKU, ASIN: it.ASIN, Quantity: 1, Time: t, DataUpdateTime: t.Add(2 * time.Hour),
			Currency: o.Currency}
		if o.Fulfilment == shopcrm.FulfilmentFBA {
			a.Reason, a.Status = fbaReasons[r.IntN(len(fbaReasons))], "Unit returned to inventory"
			a.LPN, a.InventoryAttributes = fmt.Sprintf("LPN%09d", r.IntN(1e9)), "SELLABLE"
		} else {
			a.Reason, a.Status = mfnReasons[r.IntN(len(mfnReasons))], "Approved"
			a.RMA, a.Carrier = fmt.Sprintf("D%08dRRMA", r.IntN(1e8)), carriers[r.IntN(len(carriers))]
			a.Waybill = fmt.Sprintf("92020901%014d", r.Int64N(1e14))
		}
		w.afterSales = append(w.afterSales, a)
	}
	if r.IntN(200) == 0 {
		t := at(30)
		w.afterSales = append(w.afterSales, &shopcrm.AfterSale{ItemIdentifier: "exchange:" + o.Number + ":" + it.SKU, SID: o.SID,
			OrderNumber: o.Number, Type: shopcrm.AfterSaleExchange, SKU: it.SKU, ASIN: it.ASIN, Quantity: 1, Time: t,
			DataUpdateTime: t, Reason: "CR-DEFECTIVE", Status: "Approved", Currency: o.Currency,
			ExchangeOrderNumber: fmt.Sprintf("%s-X", o.Number)})
	}
	if r.IntN(25) < 2 {
		rating := 4 + r.IntN(2)
		if r.IntN(5) == 0 {
			rating = 1 + r.IntN(2)
		}
		w.feedback = append(w.feedback, &shopcrm.Feedback{SID: o.SID, OrderNumber: o.Number, Rating: rating,
			Date: at(20).Truncate(24 * time.Hour), Comment: map[bool]string{true: "Great seller", false: "Arrived late"}[rating > 3]})
	}
}

// writer batches generated rows into the store's ingest calls.
type writer struct {
	s          *sqlstore.Store
	sum        *Summary
	orders     []*shopcrm.Order
	afterSales []*shopcrm.AfterSale
	feedback   []*shopcrm.Feedback
}

func (w *writer) flush(ctx context.Context) error {
	if len(w.orders) > 0 {
		res, err := w.s.UpsertOrders(ctx, w.orders)
		if err != nil {
			return err
		}
		w.sum.Orders += len(w.orders)
		w.sum.OrdersInserted += res.Inserted
	}
	if len(w.afterSales) > 0 {
		if _, err := w.s.UpsertAfterSales(ctx, w.afterSales); err != nil {
			return err
		}
		w.sum.AfterSales += len(w.afterSales)
	}
	if len(w.feedback) > 0 {
		if _, err := w.s.UpsertFeedback(ctx, w.feedback); err != nil {
			return err
		}
		w.sum.Feedback += len(w.feedback)
	}
	w.orders, w.afterSales, w.feedback = w.orders[:0], w.afterSales[:0], w.feedback[:0]
	return nil
}
