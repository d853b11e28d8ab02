package shopcrm_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/shopcrm/shopcrm"
)

func TestAddParcels(t *testing.T) {
	line := func(parcels string, quantity int64, price, tax shopcrm.Amount) shopcrm.OrderItem {
		return shopcrm.OrderItem{SKU: "S", Title: "Mug", Quantity: quantity, Price: price, Tax: tax, Status: "Shipped", Parcels: parcels}
	}
	a, b := shopcrm.Parcel("SI1"), shopcrm.Parcel("SI2")
	tests := []struct {
		name      string
		stored    shopcrm.OrderItem
		in        shopcrm.OrderItem
		want      shopcrm.OrderItem
		wantAdded bool
	}{
		{"new parcel adds", line(a, 1, 1000, 80), line(b, 2, 2000, 160),
			line("SI1=1/1000/80;SI2=2/2000/160", 3, 3000, 240), true},
		{"in either order", line(b, 2, 2000, 160), line(a, 1, 1000, 80),
			line("SI1=1/1000/80;SI2=2/2000/160", 3, 3000, 240), true},
		{"same parcel replaces itself", line("SI1=1/1000/80;SI2=2/2000/160", 3, 3000, 240), line(shopcrm.Parcel("SI2"), 1, 900, 70),
			line("SI1=1/1000/80;SI2=1/900/70", 2, 1900, 150), true},
		{"the one parcel again", line(a, 1, 1000, 80), line(a, 1, 1000, 80), line(a, 1, 1000, 80), true},
		{"stored line without parcels is replaced", line("", 2, 2000, 160), line(a, 1, 1000, 80), line(a, 1, 1000, 80), false},
		{"incoming line without parcels replaces the totals", line(a, 1, 1000, 80), line("", 5, 5000, 0), line("SI1=1/1000/80", 5, 5000, 0), false},
		{"and keeps the parcels as they are when they agree", line(a, 1, 1000, 80), line("", 1, 1000, 80), line(a, 1, 1000, 80), false},
		{"a parcel after other totals adds to the parcels", line("SI1=1/1000/80", 5, 5000, 0), line(b, 1, 1000, 80),
			line("SI1=1/1000/80;SI2=1/1000/80", 2, 2000, 160), true},
		{"unreadable parcels", line("SI1=x", 1, 1000, 80), line(b, 2, 2000, 160), line(b, 2, 2000, 160), false},
		{"separators in an id", line(a, 1, 1000, 80), line(shopcrm.Parcel("A;B=C"), 1, 1, 0),
			line("A_B_C=1/1/0;SI1=1/1000/80", 2, 1001, 80), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, added := shopcrm.AddParcels(tt.stored, tt.in)
			if added != tt.wantAdded {
				t.Errorf("added = %v, want %v", added, tt.wantAdded)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("line (-want +got):\n%s", diff)
			}
		})
	}
}
