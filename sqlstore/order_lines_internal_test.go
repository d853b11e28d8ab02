package sqlstore

import (
	"fmt"
	"testing"

	"github.com/shopcrm/shopcrm"
)

// An order's lines keep their first order and take the last copy of a SKU, both while they
// are searched in a slice and once there are enough of them to be indexed.
func TestOrderLines(t *testing.T) {
	for _, n := range []int{1, 2, linesScanned, linesScanned + 1, 3 * linesScanned} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var l orderLines
			for i := range n {
				l.put(shopcrm.OrderItem{SKU: fmt.Sprintf("SKU-%d", i), Quantity: 1})
			}
			l.put(shopcrm.OrderItem{SKU: "SKU-0", Quantity: 5})
			l.put(shopcrm.OrderItem{SKU: fmt.Sprintf("SKU-%d", n-1), Quantity: 7})
			if got := len(l.all()); got != n {
				t.Fatalf("%d lines, want %d", got, n)
			}
			for i, it := range l.all() {
				if want := fmt.Sprintf("SKU-%d", i); it.SKU != want {
					t.Fatalf("line %d is %s, want %s", i, it.SKU, want)
				}
			}
			if it, ok := l.get("SKU-0"); !ok || (n > 1 && it.Quantity != 5) {
				t.Errorf("SKU-0: %+v, %v; want quantity 5", it, ok)
			}
			if it, ok := l.get(fmt.Sprintf("SKU-%d", n-1)); !ok || it.Quantity != 7 {
				t.Errorf("last SKU: %+v, %v; want quantity 7", it, ok)
			}
			if _, ok := l.get("SKU-missing"); ok {
				t.Error("a SKU the order does not have was found")
			}
			if indexed := l.bySKU != nil; indexed != (n > linesScanned) {
				t.Errorf("indexed = %v with %d lines", indexed, n)
			}
		})
	}
}
