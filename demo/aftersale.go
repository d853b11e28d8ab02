package demo

import (
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/ingest"
)

var (
	fbaReasons   = []string{"UNWANTED_ITEM", "DEFECTIVE", "NOT_COMPATIBLE", "ORDERED_WRONG_ITEM", "QUALITY_UNACCEPTABLE", "DAMAGED_BY_CARRIER"}
	dispositions = []string{"SELLABLE", "SELLABLE", "CUSTOMER_DAMAGED", "DEFECTIVE", "CARRIER_DAMAGED"}
	mfnReasons   = []string{"CR-UNWANTED_ITEM", "CR-DEFECTIVE", "CR-ORDERED_WRONG_ITEM", "CR-MISSING_PARTS", "AMZ-PG-BAD-DESC"}
	carriers     = []string{"USPS", "UPS", "FedEx", "DHL"}
	coupons      = []string{"WELCOME10", "VIP20"}
)

const upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// afterSales adds, per order, ~5 % refunds (settlement), ~3 % returns (FBA returns report
// for FBA orders, MFN returns for FBM), ~2.5 % exchanges of FBM orders (MFN Replacement,
// ~0.5 % of all) and ~8 % feedback, a fifth of it negative.
func (g *gen) afterSales(r *rand.Rand, f *shopFiles, sp shopSpec, b *amazonBuyer, fba bool, number string,
	purchase time.Time, currency string, lines []line) {
	live := len(lines)
	if lines[live-1].cancelled {
		live--
	}
	l := lines[r.IntN(live)]
	after := func(maxDays int) time.Time {
		return purchase.Add(time.Duration(24*3600+r.IntN(maxDays*24*3600)) * time.Second)
	}
	if r.IntN(20) == 0 {
		g.refund(r, f, sp, fba, number, after(30), currency, l)
	}
	if r.IntN(33) == 0 {
		if fba {
			t := f.report(ingest.FBAReturns)
			t.set("return-date", iso(after(45)))
			t.set("order-id", number)
			t.set("sku", sku(sp.sid, l.k))
			t.set("asin", asin(sp.sid, l.k))
			t.set("fnsku", "X00"+randText(r, 7, upperAlnum))
			t.set("product-name", title(l.k))
			t.set("quantity", "1")
			t.set("fulfillment-center-id", "LEX1")
			t.set("detailed-disposition", dispositions[r.IntN(len(dispositions))])
			t.set("reason", fbaReasons[r.IntN(len(fbaReasons))])
			t.set("status", "Unit returned to inventory")
			t.set("license-plate-number", "LPN"+randText(r, 10, upperAlnum))
			t.end()
		} else {
			g.mfnReturn(r, f, sp, number, purchase, after(45), currency, l, "StandardRefund")
		}
	}
	if !fba && r.IntN(40) == 0 {
		g.mfnReturn(r, f, sp, number, purchase, after(30), currency, l, "Replacement")
	}
	if r.IntN(25) < 2 {
		rating := 4 + r.IntN(2)
		comment := "Great seller, fast delivery"
		if r.IntN(5) == 0 {
			rating, comment = 1+r.IntN(2), "Arrived late and damaged"
		}
		t := f.report(ingest.Feedback)
		t.set("Date", feedbackDate(sp.mkt, after(20)))
		t.set("Rating", strconv.Itoa(rating))
		t.set("Comments", comment)
		t.set("Order ID", number)
		t.set("Rater Email", b.email)
		t.end()
	}
}

func (g *gen) mfnReturn(r *rand.Rand, f *shopFiles, sp shopSpec, number string, purchase, at time.Time, currency string, l line, resolution string) {
	t := f.report(ingest.MFNReturns)
	t.set("Order ID", number)
	t.set("Order date", purchase.Format("02-Jan-2006"))
	t.set("Return request date", at.Format("02-Jan-2006"))
	t.set("Return request status", "Approved")
	t.set("Amazon RMA ID", "D"+randText(r, 9, alnum+upperAlnum)+"RRMA")
	t.set("Label type", "AmazonPrePaidLabel")
	t.set("Label cost", "4.14")
	t.set("Currency code", currency)
	t.set("Return carrier", carriers[r.IntN(len(carriers))])
	t.set("Tracking ID", "92020903"+randText(r, 14, "0123456789"))
	t.set("Label to be paid by", "Seller")
	t.set("A-to-Z Claim", "N")
	t.set("Is prime", "N")
	t.set("ASIN", asin(sp.sid, l.k))
	t.set("Merchant SKU", sku(sp.sid, l.k))
	t.set("Item Name", title(l.k))
	t.set("Return quantity", "1")
	t.set("Return Reason", mfnReasons[r.IntN(len(mfnReasons))])
	t.set("In policy", "Y")
	t.set("Return type", "C-Returns")
	t.set("Resolution", resolution)
	t.set("Order Amount", l.price.String())
	t.set("Order quantity", strconv.FormatInt(l.qty, 10))
	t.end()
}

// refund writes the Refund rows of one refunded item into the shop's settlement file: the
// money given back and the fees Amazon returns and charges for it.
func (g *gen) refund(r *rand.Rand, f *shopFiles, sp shopSpec, fba bool, number string, at time.Time, currency string, l line) {
	t := f.tsvs[ingest.Settlement]
	if t == nil {
		t = f.report(ingest.Settlement) // starts with the settlement summary row
		t.set("settlement-id", strconv.FormatInt(18900000000+sp.sid, 10))
		t.set("settlement-start-date", Reference.AddDate(-3, 0, 0).Format(time.DateOnly))
		t.set("settlement-end-date", Reference.Format(time.DateOnly))
		t.set("deposit-date", Reference.AddDate(0, 0, 2).Format(time.DateOnly))
		t.set("total-amount", "0.00")
		t.set("currency", currency)
		t.end()
	}
	ship := shopcrm.Amount(0)
	if r.IntN(3) == 0 {
		ship = shopcrm.Amount(499 * sp.priceFactor)
	}
	commission := l.price * 15 / 100
	fid := "MFN"
	if fba {
		fid = "AFN"
	}
	adj := "amzn1.adj." + number[12:] + randText(r, 6, "0123456789")
	rows := []struct {
		typ, desc string
		amount    shopcrm.Amount
	}{
		{"ItemPrice", "Principal", -l.price}, {"ItemPrice", "Tax", -l.tax}, {"ItemPrice", "Shipping", -ship},
		{"ItemFees", "Commission", commission}, {"ItemFees", "RefundCommission", -commission / 5},
	}
	for _, row := range rows {
		if row.amount == 0 {
			continue
		}
		t.set("settlement-id", strconv.FormatInt(18900000000+sp.sid, 10))
		t.set("currency", currency)
		t.set("transaction-type", "Refund")
		t.set("order-id", number)
		t.set("adjustment-id", adj)
		t.set("marketplace-name", sp.channel)
		t.set("amount-type", row.typ)
		t.set("amount-description", row.desc)
		t.set("amount", row.amount.String())
		t.set("fulfillment-id", fid)
		t.set("posted-date", at.Format(time.DateOnly))
		t.set("posted-date-time", iso(at))
		t.set("merchant-adjustment-item-id", adj[10:])
		t.set("sku", sku(sp.sid, l.k))
		t.set("quantity-purchased", strconv.FormatInt(l.qty, 10))
		t.end()
	}
}

// feedbackDate writes the marketplace's short date, as the feedback report does.
func feedbackDate(mkt string, t time.Time) string {
	switch mkt {
	case "US":
		return t.Format("01/02/06")
	case "DE":
		return t.Format("02.01.06")
	case "JP":
		return t.Format("06/01/02")
	}
	return t.Format("02/01/06")
}
