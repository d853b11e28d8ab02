package sqlstore

import "sync"

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
	// cands are the indexes of the buyers of the set, ascending, when they are few enough
	// that ranking only them beats a scan of every buyer: one shop of twenty is a twentieth
	// of the scan. nil when the set holds more than a quarter of the buyers.
	cands  []int32
	prefix []uint64 // by candidate: the buyer's e-mail prefix

	// The columns a request ranks on, gathered over cands as the set's figures (a buyer's
	// part of several shops or its own figures): the scan then reads them in order, as it
	// reads the all-shops columns, instead of jumping to each candidate.
	mu  sync.Mutex
	g32 map[int][]uint32
	g64 map[int][]int64
	// fold: page rows of buyers over some of their shops, folded from their orders (see
	// buyerRows); nil for a buyer with no counted order in the set. A page of the heaviest
	// buyers folds thousands of orders; the next request for the page reuses them.
	fold map[int64]*figureRow
}

// foldMax bounds the folded rows a view keeps.
const foldMax = 4096

// folded returns the kept rows of ids and the ids that have none; with no view, none.
func (v *buyerView) folded(ids []int64) (map[int64]*figureRow, []int64) {
	kept := make(map[int64]*figureRow, len(ids))
	if v == nil {
		return kept, ids
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	var missing []int64
	for _, id := range ids {
		if r, ok := v.fold[id]; ok {
			kept[id] = r
		} else {
			missing = append(missing, id)
		}
	}
	return kept, missing
}

// keepFolded keeps the rows folded for ids (absent from rows: nothing to show).
func (v *buyerView) keepFolded(ids []int64, rows map[int64]*figureRow) {
	if v == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.fold == nil || len(v.fold)+len(ids) > foldMax {
		v.fold = make(map[int64]*figureRow, len(ids))
	}
	for _, id := range ids {
		v.fold[id] = rows[id]
	}
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
	v.cands = d.selected(sel, v)
	if v.cands != nil {
		v.prefix = make([]uint64, len(v.cands))
		for j, i := range v.cands {
			v.prefix[j] = d.prefix[i]
		}
	}
	if d.views == nil || len(d.views) >= 8 {
		d.views = map[string]*buyerView{}
	}
	d.views[sel.key] = v
	return v
}

// selected lists the buyers of some of the set's shops, or returns nil when they are more
// than a quarter of all buyers (the list and its columns would cost memory and save little).
func (d *buyerData) selected(sel *buyerSel, v *buyerView) []int32 {
	in := func(h int32) bool {
		return (h >= 0 && sel.in[h]) || (h <= homeMulti && v.kind[homeMulti-h] != viewNone)
	}
	n := 0
	for _, h := range d.home {
		if in(h) {
			n++
		}
	}
	if n > len(d.home)/candsShare {
		return nil
	}
	cands := make([]int32, 0, n)
	for i, h := range d.home {
		if in(h) {
			cands = append(cands, int32(i))
		}
	}
	return cands
}

// candsShare: a set's buyers are listed when they are at most 1/candsShare of all buyers (a
// variable for tests).
var candsShare = 4

// col32 returns a count or date column over the view's candidates, gathering it on first use.
func (v *buyerView) col32(d *buyerData, col int) []uint32 {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.g32 == nil {
		v.g32 = map[int][]uint32{}
	}
	return gatherCol(v, d, v.g32, d.c.u32col(col), col, func(x int64) uint32 { return uint32(x) })
}

// col64 is col32 for money columns.
func (v *buyerView) col64(d *buyerData, col int) []int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.g64 == nil {
		v.g64 = map[int][]int64{}
	}
	return gatherCol(v, d, v.g64, d.c.i64col(col), col, func(x int64) int64 { return x })
}

// gatherCol returns kept[col], first filling it from the all-shops column src, or from the
// set's part for a buyer of several shops of which the set has some. The caller holds v.mu.
func gatherCol[T column](v *buyerView, d *buyerData, kept map[int][]T, src []T, col int, conv func(int64) T) []T {
	if g, ok := kept[col]; ok {
		return g
	}
	g := make([]T, len(v.cands))
	for j, i := range v.cands {
		if h := d.home[i]; h <= homeMulti && v.kind[homeMulti-h] == viewPart {
			g[j] = conv(v.parts[v.part[homeMulti-h]].val(col))
		} else {
			g[j] = src[i]
		}
	}
	kept[col] = g
	return g
}
