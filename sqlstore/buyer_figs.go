package sqlstore

// home values besides a shop position: a buyer without figures, and a buyer with rows in
// several shops (home = homeMulti - m, rows in multi[m]).
const (
	homeDead  int32 = -1
	homeMulti int32 = -2
)

// figs are a buyer's figures over some shops, as ranking needs them.
type figs struct {
	orders, units             uint32
	refundOrders, refundUnits uint32
	returnOrders, returnUnits uint32
	feedback, feedbackBad     uint32
	amount, cny, usd          int64
	first, last               uint32 // shop-local wall clock as seconds since 1970: sorts like the text shown
	firstAt, lastAt           int64  // UTC; which shop's purchase came first or last
	pos                       int32  // shop position of a per-shop row
}

// Columns of figs, for ranking and for the fields of the list.
const (
	colOrders = iota
	colUnits
	colRefundOrders
	colRefundUnits
	colReturnOrders
	colReturnUnits
	colFeedback
	colFeedbackBad
	colAmount
	colCNY
	colUSD
	colFirst
	colLast
	colNone = -1
)

func (f *figs) val(col int) int64 {
	switch col {
	case colOrders:
		return int64(f.orders)
	case colUnits:
		return int64(f.units)
	case colRefundOrders:
		return int64(f.refundOrders)
	case colRefundUnits:
		return int64(f.refundUnits)
	case colReturnOrders:
		return int64(f.returnOrders)
	case colReturnUnits:
		return int64(f.returnUnits)
	case colFeedback:
		return int64(f.feedback)
	case colFeedbackBad:
		return int64(f.feedbackBad)
	case colAmount:
		return f.amount
	case colCNY:
		return f.cny
	case colUSD:
		return f.usd
	case colFirst:
		return int64(f.first)
	case colLast:
		return int64(f.last)
	}
	return 0
}

// add folds another shop's figures in: counts add up, and the first and last purchases are
// the earliest and latest in UTC, shown in their own shop's time, as the figures rows do.
// Shops are added in sid order (a multi-shop buyer's rows are kept so), so purchases in the
// same second go as in the figures rows (orderFacts.before): the first is the smaller shop's,
// the last the larger's.
func (f *figs) add(o *figs) {
	if f.orders == 0 {
		*f = *o
		return
	}
	f.orders += o.orders
	f.units += o.units
	f.refundOrders += o.refundOrders
	f.refundUnits += o.refundUnits
	f.returnOrders += o.returnOrders
	f.returnUnits += o.returnUnits
	f.feedback += o.feedback
	f.feedbackBad += o.feedbackBad
	f.amount += o.amount
	f.cny += o.cny
	f.usd += o.usd
	if o.firstAt < f.firstAt {
		f.first, f.firstAt = o.first, o.firstAt
	}
	if o.lastAt >= f.lastAt {
		f.last, f.lastAt = o.last, o.lastAt
	}
}

// figCols holds the figures over all shops (the sid 0 rows) column by column, so that a scan
// reads only the columns a request sorts and filters on.
type figCols struct {
	count [colAmount][]uint32 // colOrders … colFeedbackBad
	money [3][]int64          // colAmount, colCNY, colUSD
	date  [2][]uint32         // colFirst, colLast
}

func (c *figCols) u32col(col int) []uint32 {
	if col >= colFirst {
		return c.date[col-colFirst]
	}
	return c.count[col]
}

func (c *figCols) i64col(col int) []int64 { return c.money[col-colAmount] }

// val reads one column of buyer i.
func (c *figCols) val(i int32, col int) int64 {
	if isMoneyCol(col) {
		return c.i64col(col)[i]
	}
	return int64(c.u32col(col)[i])
}

func isMoneyCol(col int) bool { return col >= colAmount && col <= colUSD }

func (c *figCols) set(i int32, f *figs) {
	n := &c.count
	n[colOrders][i], n[colUnits][i] = f.orders, f.units
	n[colRefundOrders][i], n[colRefundUnits][i] = f.refundOrders, f.refundUnits
	n[colReturnOrders][i], n[colReturnUnits][i] = f.returnOrders, f.returnUnits
	n[colFeedback][i], n[colFeedbackBad][i] = f.feedback, f.feedbackBad
	c.money[0][i], c.money[1][i], c.money[2][i] = f.amount, f.cny, f.usd
	c.date[0][i], c.date[1][i] = f.first, f.last
}

// grow appends a zero row.
func (c *figCols) grow() {
	for k := range c.count {
		c.count[k] = push(c.count[k], 0)
	}
	for k := range c.money {
		c.money[k] = push(c.money[k], 0)
	}
	for k := range c.date {
		c.date[k] = push(c.date[k], 0)
	}
}
