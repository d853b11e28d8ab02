package sqlstore

import (
	"database/sql"
	"strconv"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// On SQLite an import reads each stored order, and each of its lines, as one text joined by
// unit separators (U+001F) rather than column by column. The driver makes two or three
// calls into SQLite for every column of every row, each taking the connection's mutex, and
// an All Orders report imported after its shipments reads back every order and line it
// changes: joined, reading 500 000 orders and their million lines took about a quarter
// less time (BENCHMARKS, 2026-12-06 afternoon). A value holding the separator splits into
// too many fields; such an order is read again column by column. PostgreSQL sends columns
// in one message and reads them as before.

// joinSep is the separator of joinedText; SQLite writes it as char(31).
const joinSep = "\x1f"

// joinedText is the SQLite expression joining cols by joinSep; a NULL column joins as an
// empty text.
func joinedText(cols string, nullable ...string) string {
	names := columnList(cols)
	for i, c := range names {
		for _, n := range nullable {
			if c == n {
				names[i] = "ifnull(" + c + ", '')"
			}
		}
	}
	return strings.Join(names, " || char(31) || ")
}

var (
	joinedOrderText = joinedText(orderColumns, "customer_id")
	joinedItemText  = joinedText(`sku, asin, title, quantity, price, tax, status, promotion, parcels`)
)

// splitJoined cuts s into exactly len(f) fields, or reports that it cannot.
func splitJoined(s string, f []string) bool {
	for i := range len(f) - 1 {
		var ok bool
		if f[i], s, ok = strings.Cut(s, joinSep); !ok {
			return false
		}
	}
	f[len(f)-1] = s
	return !strings.Contains(s, joinSep)
}

// parseJoinedOrder fills o (its id already read) from joinedOrderText.
func parseJoinedOrder(s string, o *shopcrm.Order) bool {
	var f [12]string
	if !splitJoined(s, f[:]) {
		return false
	}
	var ints [3]int64 // sid, purchase time, updated time
	for i, k := range [3]int{0, 5, 6} {
		v, err := strconv.ParseInt(f[k], 10, 64)
		if err != nil {
			return false
		}
		ints[i] = v
	}
	if f[2] != "" {
		id, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return false
		}
		o.CustomerID = &id
	}
	o.SID, o.Number, o.BuyerEmail, o.BuyerName = ints[0], f[1], f[3], f[4]
	o.PurchaseTime, o.UpdatedTime = fromUnix(ints[1]), fromUnix(ints[2])
	o.Status, o.Fulfilment, o.SalesChannel, o.Currency, o.CouponCode = f[7], f[8], f[9], f[10], f[11]
	return true
}

// parseJoinedItem reads a line from joinedItemText.
func parseJoinedItem(s string) (shopcrm.OrderItem, bool) {
	var f [9]string
	if !splitJoined(s, f[:]) {
		return shopcrm.OrderItem{}, false
	}
	var ints [3]int64 // quantity, price, tax
	for i := range ints {
		v, err := strconv.ParseInt(f[3+i], 10, 64)
		if err != nil {
			return shopcrm.OrderItem{}, false
		}
		ints[i] = v
	}
	return shopcrm.OrderItem{SKU: f[0], ASIN: f[1], Title: f[2], Quantity: ints[0], Price: shopcrm.Amount(ints[1]),
		Tax: shopcrm.Amount(ints[2]), Status: f[6], Promotion: f[7], Parcels: f[8]}, true
}

// scanJoinedItems reads rows of order_id and joinedItemText into their orders, closes rows,
// and returns the orders with a line that did not split, to be read column by column.
func scanJoinedItems(rows *sql.Rows, byID map[int64]*storedOrder) ([]int64, error) {
	defer rows.Close()
	var again []int64
	var id int64
	var text string
	for rows.Next() {
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		if it, ok := parseJoinedItem(text); ok {
			byID[id].items.put(it)
		} else {
			again = append(again, id)
		}
	}
	return again, rows.Err()
}
