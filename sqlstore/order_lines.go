package sqlstore

import "github.com/shopcrm/shopcrm"

// linesScanned is how many lines an order holds before orderLines indexes them by SKU.
const linesScanned = 16

// orderLines holds a stored order's lines by SKU, in the order they were read or added.
// Orders have a handful of lines, and a slice searched by SKU allocates a tenth of what a
// map does: a map of lines takes about 1 KiB for its first group, and reading the stored
// lines into maps was a quarter of the allocation (and of the collector's work) of an All
// Orders report imported after its shipments (BENCHMARKS, 2026-12-06 afternoon). An order
// with more than linesScanned lines gets an index, so that no order costs quadratic time.
type orderLines struct {
	list  []shopcrm.OrderItem
	bySKU map[string]int
}

func newOrderLines(items []shopcrm.OrderItem) orderLines {
	var l orderLines
	l.list = make([]shopcrm.OrderItem, 0, len(items))
	for _, it := range items {
		l.put(it)
	}
	return l
}

func (l *orderLines) find(sku string) int {
	if l.bySKU != nil {
		if i, ok := l.bySKU[sku]; ok {
			return i
		}
		return -1
	}
	for i := range l.list {
		if l.list[i].SKU == sku {
			return i
		}
	}
	return -1
}

// get returns the line of sku, if the order has one.
func (l *orderLines) get(sku string) (shopcrm.OrderItem, bool) {
	if i := l.find(sku); i >= 0 {
		return l.list[i], true
	}
	return shopcrm.OrderItem{}, false
}

// put adds a line, or replaces the one of the same SKU.
func (l *orderLines) put(it shopcrm.OrderItem) {
	if i := l.find(it.SKU); i >= 0 {
		l.list[i] = it
		return
	}
	if l.list == nil {
		l.list = make([]shopcrm.OrderItem, 0, 2) // the most lines orders usually have
	}
	l.list = append(l.list, it)
	switch {
	case l.bySKU != nil:
		l.bySKU[it.SKU] = len(l.list) - 1
	case len(l.list) > linesScanned:
		l.bySKU = make(map[string]int, len(l.list))
		for i := range l.list {
			l.bySKU[l.list[i].SKU] = i
		}
	}
}

// all returns the lines, in the order they were read or added.
func (l *orderLines) all() []shopcrm.OrderItem { return l.list }
