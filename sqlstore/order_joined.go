package sqlstore

import (
	"strconv"
	"strings"

	"github.com/shopcrm/shopcrm"
)

// On SQLite an import reads the columns of each stored order as one text joined by unit
// separators (U+001F) rather than column by column. The driver makes two or three calls into
// SQLite for every column of every row, each taking the connection's mutex, and an All
// Orders report imported after its shipments reads back every order it changes: joined,
// reading 500 000 orders and their million lines took about a quarter less time
// (BENCHMARKS, 2026-12-06 afternoon, when the lines were rows of their own). A value holding
// the separator splits into too many fields; such an order is read again column by column.
// The lines come beside the joined text, in their own column (order_lines_json.go), whose
// JSON never holds the separator. PostgreSQL sends columns in one message and reads them as
// before.

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

var joinedOrderText = joinedText(orderColumns, "customer_id")

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
