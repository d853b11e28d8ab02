package sqlstore

// Views: which rows of a multi-shop buyer a set of shops selects.
const (
	viewNone = iota // none of its shops
	viewAll         // all of its shops: its all-shops figures apply
	viewPart        // some: parts holds their sum
)

type buyerView struct {
	kind  []uint8 // by multi entry
	part  []int32 // by multi entry, into parts
	parts []figs
}

// view returns the multi-shop buyers' figures over a set of shops, nil for all shops. Views
// are kept per set until the index changes: requests of one app keep asking for the same set.
func (d *buyerData) view(sel *buyerSel) *buyerView {
	if sel.all {
		return nil
	}
	d.viewMu.Lock()
	defer d.viewMu.Unlock()
	if v := d.views[sel.key]; v != nil {
		return v
	}
	v := &buyerView{kind: make([]uint8, len(d.multi)), part: make([]int32, len(d.multi))}
	for m, e := range d.multi {
		var f figs
		n := int32(0)
		for _, r := range d.multiRows[e.start : e.start+e.n] {
			if sel.in[r.pos] {
				f.add(&r)
				n++
			}
		}
		switch {
		case n == 0:
			v.kind[m] = viewNone
		case n == e.n:
			v.kind[m] = viewAll
		default:
			v.kind[m], v.part[m] = viewPart, int32(len(v.parts))
			v.parts = append(v.parts, f)
		}
	}
	if d.views == nil || len(d.views) >= 8 {
		d.views = map[string]*buyerView{}
	}
	d.views[sel.key] = v
	return v
}
