package ingest_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm/ingest"
)

// reportFile is one generated report, imported into shop sid as kind.
type reportFile struct {
	sid  int64
	kind ingest.Kind
	path string
}

// genLine is one line of a generated order: a SKU shipped in one or two parcels.
type genLine struct {
	sku     string
	parcels []int // units per parcel
	unit    int   // price per unit, in cents
}

type genOrder struct {
	sid      int64
	number   string
	buyer    int
	purchase time.Time
	lines    []genLine
}

// tax is the sum of the parcels' taxes, as the shipments report rounds them.
func (l genLine) tax() int {
	t := 0
	for _, p := range l.parcels {
		t += p * l.unit * 8 / 100
	}
	return t
}

func (l genLine) units() int {
	n := 0
	for _, p := range l.parcels {
		n += p
	}
	return n
}

// money formats cents as a report writes an amount.
func money(cents int) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

var genBuyers = []string{"ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal"}

func buyerEmail(b int) string { return genBuyers[b] + "@marketplace.amazon.com" }
func buyerName(b int) string  { return strings.ToUpper(genBuyers[b][:1]) + genBuyers[b][1:] + " Doe" }

// genReports writes a random set of overlapping reports for the Amazon shops 1 (US) and 2
// (UK) and the own shop 3, the same for the same seed. Reports of one kind overlap as
// reports of overlapping date ranges do: a record in two files is the same in both. Buyers
// recur across shops, so the sid 0 rows sum shops of three currencies.
func genReports(t *testing.T, dir string, seed uint64) []reportFile {
	r := rand.New(rand.NewPCG(seed, 0))
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	buyer := func() int { return min(r.IntN(len(genBuyers)), r.IntN(len(genBuyers))) } // some buyers far more often
	var files []reportFile
	add := func(sid int64, kind ingest.Kind, name, text string) {
		files = append(files, reportFile{sid, kind, writeFile(t, dir, fmt.Sprintf("%d-%s", sid, name), text)})
	}
	for _, shop := range []struct {
		sid      int64
		currency string
	}{{1, "USD"}, {2, "GBP"}} {
		sid, currency := shop.sid, shop.currency
		var orders []genOrder
		for i := range 12 {
			o := genOrder{sid: sid, number: fmt.Sprintf("%03d-%07d-%07d", 200+int(sid)*100+r.IntN(99), i+1, r.IntN(9999999)),
				buyer: buyer(), purchase: base.Add(time.Duration(r.IntN(365*24)) * time.Hour)}
			for _, k := range r.Perm(5)[:1+r.IntN(3)] {
				l := genLine{sku: fmt.Sprintf("SKU-%d", k), unit: 500 + 10*r.IntN(300), parcels: []int{1 + r.IntN(3)}}
				if l.parcels[0] > 1 && r.IntN(2) == 0 {
					l.parcels = []int{1, l.parcels[0] - 1}
				}
				o.lines = append(o.lines, l)
			}
			if i == 6 || i == 7 {
				o.lines[0].parcels = []int{1, 1} // split between the files below
			}
			orders = append(orders, o)
		}
		// Orders bought in the same second: two of one buyer in a shop, and the same buyer's
		// first orders in both Amazon shops and the own shop.
		orders[5].buyer, orders[5].purchase = orders[4].buyer, orders[4].purchase
		orders[0].buyer, orders[0].purchase = 0, base
		// Each kind in two files: the first holds the records of orders 0–7, the second
		// those of orders 4–11.
		split := func(name string, header string, row func(part, i int, o genOrder) string) {
			for part, span := range [][2]int{{0, 8}, {4, 12}} {
				var b strings.Builder
				b.WriteString(header + "\n")
				for i := span[0]; i < span[1]; i++ {
					b.WriteString(row(part, i, orders[i]))
				}
				add(sid, ingestKinds[name], fmt.Sprintf("%s-%d.txt", name, part), b.String())
			}
		}
		split("shipments", "amazon-order-id\tshipment-id\tshipment-item-id\tpurchase-date\tshipment-date\tbuyer-email\tbuyer-name\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\titem-tax\tfulfillment-channel\tsales-channel",
			func(part, i int, o genOrder) string {
				var b strings.Builder
				for _, l := range o.lines {
					for p, units := range l.parcels {
						if p == 1 && part == 0 && (i == 6 || i == 7) || p == 0 && part == 1 && i == 6 {
							// Order 7's second parcel shipped after the first file was cut;
							// order 6's parcels fall one in each file.
							continue
						}
						price := units * l.unit
						fmt.Fprintf(&b, "%s\tS%d-%d\tSI%d-%d-%s\t%s\t%s\t%s\t%s\t%s\tMug %s\t%d\t%s\t%s\t%s\tAFN\tAmazon.com\n",
							o.number, i, p, i, p, l.sku, o.purchase.Format(time.RFC3339), o.purchase.Add(24*time.Hour).Format(time.RFC3339),
							buyerEmail(o.buyer), buyerName(o.buyer), l.sku, l.sku, units, currency, money(price), money(price*8/100))
					}
				}
				return b.String()
			})
		// All Orders: the first file sees orders pending, the second shipped two days on.
		split("all-orders", "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax",
			func(part, i int, o genOrder) string {
				status, updated := "Pending", o.purchase.Add(time.Hour)
				if i >= 4 {
					status, updated = "Shipped", o.purchase.Add(48*time.Hour)
				}
				var b strings.Builder
				for _, l := range o.lines {
					price := l.units() * l.unit
					fmt.Fprintf(&b, "%s\t%s\t%s\t%s\tAmazon\tAmazon.com\tMug %s\t%s\tB000%s\t%s\t%d\t%s\t%s\t%s\n",
						o.number, o.purchase.Format(time.RFC3339), updated.Format(time.RFC3339), status, l.sku, l.sku,
						l.sku[4:], status, l.units(), currency, money(price), money(l.tax()))
				}
				if i%5 == 3 {
					// a line cancelled before shipping: in no shipments report, and not counted
					fmt.Fprintf(&b, "%s\t%s\t%s\t%s\tAmazon\tAmazon.com\tMug 9\tSKU-9\tB0009\tCancelled\t0\t%s\t\t\n",
						o.number, o.purchase.Format(time.RFC3339), updated.Format(time.RFC3339), status, currency)
				}
				if i == 5 {
					// a multi-channel order: no buyer, counted for no one
					fmt.Fprintf(&b, "%s-MCF\t%s\t%s\t%s\tAmazon\tNon-Amazon\tMug 1\tSKU-1\tB0001\tShipped\t1\t%s\t9.99\t0.80\n",
						o.number[:8], o.purchase.Format(time.RFC3339), updated.Format(time.RFC3339), status, currency)
				}
				return b.String()
			})
		// FBA returns: one unit of the first line of every third order, with a license plate
		// number or, every other time, without, when a second unit may come in the same event.
		split("fba-returns", "return-date\torder-id\tsku\tasin\tfnsku\tproduct-name\tquantity\tfulfillment-center-id\tdetailed-disposition\treason\tstatus\tlicense-plate-number\tcustomer-comments",
			func(part, i int, o genOrder) string {
				if i%3 != 1 {
					return ""
				}
				l := o.lines[0]
				when := o.purchase.Add(10 * 24 * time.Hour).Format(time.RFC3339)
				row := func(lpn string) string {
					return fmt.Sprintf("%s\t%s\t%s\tB000X\tX000X\tMug\t1\tLEX1\tSELLABLE\tUNWANTED_ITEM\tUnit returned to inventory\t%s\t\n", when, o.number, l.sku, lpn)
				}
				if i%2 == 0 {
					return row(fmt.Sprintf("LPN%d%d", o.sid, i))
				}
				if l.units() > 1 {
					return row("") + row("")
				}
				return row("")
			})
		// Settlement refunds of one unit of the last line of orders 1, 4, 7, 10: by merchant
		// adjustment item id, or without one by adjustment id and SKU.
		split("settlement", "settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\tmarketplace-name\tamount-type\tamount-description\tamount\tfulfillment-id\tposted-date\tposted-date-time\torder-item-code\tmerchant-order-item-id\tmerchant-adjustment-item-id\tsku\tquantity-purchased\tpromotion-id\n"+
			fmt.Sprintf("1890%d\t2024-01-01\t2025-01-01\t2025-01-03\t-10.00\t%s", sid, currency),
			func(part, i int, o genOrder) string {
				if i%3 != 1 {
					return ""
				}
				l := o.lines[len(o.lines)-1]
				item := ""
				if i%2 == 0 {
					item = fmt.Sprint(5000 + i)
				}
				when := o.purchase.Add(5 * 24 * time.Hour)
				var b strings.Builder
				for _, a := range []struct {
					typ, desc string
					cents     int
				}{{"ItemPrice", "Principal", -l.unit}, {"ItemPrice", "Tax", -l.unit * 8 / 100}, {"ItemFees", "Commission", l.unit * 15 / 100}, {"ItemFees", "RefundCommission", -l.unit * 3 / 100}} {
					fmt.Fprintf(&b, "1890%d\t\t\t\t\t%s\tRefund\t%s\t\tamzn1.adj.%d\t\tAmazon\t%s\t%s\t%s\tAFN\t%s\t%s\t\t\t%s\t%s\t1\t\n",
						sid, currency, o.number, i, a.typ, a.desc, money(a.cents), when.Format("2006-01-02"), when.Format(time.RFC3339), item, l.sku)
				}
				return b.String()
			})
		if sid != 1 {
			continue
		}
		// The US shop's MFN returns (one file) and feedback (dates as the US report writes them).
		var mfn strings.Builder
		mfn.WriteString("Order ID\tOrder date\tReturn request date\tReturn request status\tAmazon RMA ID\tCurrency code\tReturn carrier\tTracking ID\tMerchant SKU\tReturn quantity\tReturn Reason\tResolution\n")
		for i, o := range orders {
			if i%4 == 2 {
				resolution := "StandardRefund"
				if i == 6 {
					resolution = "Replacement"
				}
				fmt.Fprintf(&mfn, "%s\t%s\t%s\tApproved\tRMA%d\tUSD\tUPS\t1Z%d\t%s\t1\tCR-DEFECTIVE\t%s\n", o.number, o.purchase.Format("02-Jan-2006"),
					o.purchase.Add(7*24*time.Hour).Format("02-Jan-2006"), i, i, o.lines[0].sku, resolution)
			}
		}
		add(sid, ingest.MFNReturns, "mfn-returns.txt", mfn.String())
		split("feedback", "Date\tRating\tComments\tResponse\tOrder ID\tRater Email", func(part, i int, o genOrder) string {
			if i%3 != 0 {
				return ""
			}
			return fmt.Sprintf("%s\t%d\tComment %d\t\t%s\t%s\n", o.purchase.Add(9*24*time.Hour).Format("01/02/06"), 1+(i*7)%5, i, o.number, buyerEmail(o.buyer))
		})
	}
	// The own shop: orders of the same buyers (e-mail in another case), unshipped in the
	// first file, shipped or cancelled in the second.
	for part, span := range [][2]int{{0, 4}, {2, 6}} {
		var b strings.Builder
		for i := span[0]; i < span[1]; i++ {
			status, updated := "Unshipped", base.Add(time.Duration(i*500+1)*time.Hour)
			if part == 1 {
				status, updated = "Shipped", updated.Add(47*time.Hour)
				if i == 3 {
					status = "Cancelled"
				}
			}
			b2 := (i * 3) % len(genBuyers)
			fmt.Fprintf(&b, `{"order_number":"S%d","purchase_time":"%s","updated_time":"%s","status":"%s","buyer_email":"%s","buyer_name":"%s","buyer_mobile":"+1 555 01%02d","currency":"USD","coupon_code":"C%d","items":[{"sku":"SKU-%d","quantity":%d,"unit_price":"%s"}]}`+"\n",
				1000+i, base.Add(time.Duration(i*500)*time.Hour).Format(time.RFC3339), updated.Format(time.RFC3339), status,
				strings.ToUpper(buyerEmail(b2)), buyerName(b2), b2, i%2, i%5, 1+i%3, money(1000+i*100))
		}
		files = append(files, reportFile{3, ingest.OrdersNDJSON, writeFile(t, dir, fmt.Sprintf("3-orders-%d.ndjson", part), b.String())})
	}
	return files
}

var ingestKinds = map[string]ingest.Kind{
	"shipments": ingest.FBAShipments, "all-orders": ingest.AllOrders, "fba-returns": ingest.FBAReturns,
	"settlement": ingest.Settlement, "feedback": ingest.Feedback,
}
