package shopcrm

import (
	"slices"
	"strconv"
	"strings"
)

// The FBA shipments report has a row per shipment item: an order line shipped in two
// parcels has two rows, which may stand far apart in one report, or in two reports. The
// store keys order lines by SKU, so a line from that report keeps the parcels it sums
// (OrderItem.Parcels): a parcel seen again then replaces itself and a new one adds to the
// line, whatever batch or file brought it.
//
// Parcels is "id=quantity/price/tax" per parcel, sorted by id and joined by ";"; a line
// of one parcel with the line's own figures, the common case, holds the parcel's id alone.

type parcel struct {
	id         string
	quantity   int64
	price, tax Amount
}

// Parcel is the Parcels of a line shipped in one parcel.
func Parcel(id string) string {
	if strings.ContainsAny(id, "=;") {
		return parcelSeparators.Replace(id)
	}
	return id
}

var parcelSeparators = strings.NewReplacer("=", "_", ";", "_")

// formatParcels writes the Parcels of line, whose totals the caller has set.
func formatParcels(ps []parcel, line OrderItem) string {
	if len(ps) == 1 && ps[0].quantity == line.Quantity && ps[0].price == line.Price && ps[0].tax == line.Tax {
		return ps[0].id
	}
	slices.SortFunc(ps, func(a, b parcel) int { return strings.Compare(a.id, b.id) })
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(p.id)
		b.WriteByte('=')
		b.WriteString(strconv.FormatInt(p.quantity, 10))
		b.WriteByte('/')
		b.WriteString(strconv.FormatInt(int64(p.price), 10))
		b.WriteByte('/')
		b.WriteString(strconv.FormatInt(int64(p.tax), 10))
	}
	return b.String()
}

// parseParcels reads the Parcels of line.
func parseParcels(line OrderItem) ([]parcel, bool) {
	s := line.Parcels
	if s == "" {
		return nil, false
	}
	if !strings.ContainsAny(s, "=;") {
		return []parcel{{s, line.Quantity, line.Price, line.Tax}}, true
	}
	var ps []parcel
	for f := range strings.SplitSeq(s, ";") {
		id, nums, ok := strings.Cut(f, "=")
		parts := strings.Split(nums, "/")
		if !ok || len(parts) != 3 {
			return nil, false
		}
		var v [3]int64
		for i, n := range parts {
			var err error
			if v[i], err = strconv.ParseInt(n, 10, 64); err != nil {
				return nil, false
			}
		}
		ps = append(ps, parcel{id, v[0], Amount(v[1]), Amount(v[2])})
	}
	return ps, true
}

// AddParcels returns in with the parcels of stored it lacks added: a parcel both carry
// takes in's figures, and the line's quantity, price and tax become the sums of its
// parcels; ok is true. A line without parcels (from another report) takes the place of
// stored with the parcels seen so far, so that a shipments report and an All Orders report
// that agree leave each other's lines as they are; a line with parcels replaces a stored
// line without them. Both cases return ok false.
func AddParcels(stored, in OrderItem) (line OrderItem, ok bool) {
	if in.Parcels == "" {
		if ps, ok := parseParcels(stored); ok {
			in.Parcels = formatParcels(ps, in)
		}
		return in, false
	}
	old, ok1 := parseParcels(stored)
	add, ok2 := parseParcels(in)
	if !ok1 || !ok2 {
		return in, false
	}
	byID := make(map[string]parcel, len(old)+len(add))
	for _, p := range old {
		byID[p.id] = p
	}
	for _, p := range add {
		byID[p.id] = p
	}
	all := make([]parcel, 0, len(byID))
	in.Quantity, in.Price, in.Tax = 0, 0, 0
	for _, p := range byID {
		all = append(all, p)
		in.Quantity += p.quantity
		in.Price += p.price
		in.Tax += p.tax
	}
	in.Parcels = formatParcels(all, in)
	return in, true
}
