package bench

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

// WriteShipments writes an FBA shipments report of n orders from n/3 buyers spread over the
// file, 1–3 items per order, every fifth item shipped in two parcels. It returns the rows
// written (about 2.4 an order).
func WriteShipments(path string, n int) (int, error) { return writeShipments(path, 0, n) }

// WriteNextShipments writes the report that follows WriteShipments' of n orders: n new
// orders of the same n/3 buyers, as a seller's next month brings.
func WriteNextShipments(path string, n int) (int, error) { return writeShipments(path, n, n) }

// writeShipments writes orders from, from+1, … of n orders' buyers.
func writeShipments(path string, from, n int) (int, error) {
	return writeReport(path, from, n, "amazon-order-id\tshipment-id\tshipment-item-id\tpurchase-date\tshipment-date\tbuyer-email\tbuyer-name\tsku\tproduct-name\tquantity-shipped\tcurrency\titem-price\titem-tax\tsales-channel",
		func(w *bufio.Writer, i, item int, when string) int {
			buyer := (i * 7919) % max(1, n/3)
			parcels := 1 + min(1, (i+item)%5/4)
			for p := range parcels {
				fmt.Fprintf(w, "%s\tS%d-%d\tSI%d-%d-%d\t%s\t%s\tb%07d@marketplace.amazon.com\tBuyer %d\tSKU-%d\tMug model %d\t1\tUSD\t%d.99\t0.80\tAmazon.com\n",
					orderID(i), i, p, i, item, p, when, when, buyer, buyer, item, item, 10+item)
			}
			return parcels
		})
}

// WriteAllOrders writes the All Orders report of the same n orders: one line per item, its
// quantity and amounts the sums of the item's parcels in WriteShipments, as the two reports
// of one order agree. It returns the rows written.
func WriteAllOrders(path string, n int) (int, error) {
	return writeReport(path, 0, n, "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\tsales-channel\tproduct-name\tsku\tasin\titem-status\tquantity\tcurrency\titem-price\titem-tax",
		func(w *bufio.Writer, i, item int, when string) int {
			parcels := 1 + min(1, (i+item)%5/4)
			price, tax := parcels*(1099+100*item), parcels*80
			fmt.Fprintf(w, "%s\t%s\t%s\tShipped\tAmazon\tAmazon.com\tMug model %d\tSKU-%d\tB00000000%d\tShipped\t%d\tUSD\t%d.%02d\t%d.%02d\n",
				orderID(i), when, when, item, item, item, parcels, price/100, price%100, tax/100, tax%100)
			return 1
		})
}

// orderID is the i-th order's Amazon order id; consecutive orders land far apart in the
// store's (shop, number) index, as real order ids do.
func orderID(i int) string { return fmt.Sprintf("%03d-%07d-%07d", 100+i%900, i, i%9999991) }

// writeReport writes header and the lines of orders from … from+n-1, a minute apart.
func writeReport(path string, from, n int, header string, line func(w *bufio.Writer, i, item int, when string) int) (int, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(header + "\n")
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := 0
	for i := from; i < from+n; i++ {
		when := base.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
		for item := range 1 + i%3 {
			rows += line(w, i, item, when)
		}
	}
	if err := w.Flush(); err != nil {
		return 0, err
	}
	return rows, f.Close()
}
