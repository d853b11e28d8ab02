package sqlstore

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// buyerQuery is a validated customer-list request, in the index's terms.
type buyerQuery struct {
	sel           buyerSel
	key           keySpec
	desc          bool
	dateCol       int // colFirst, colLast or colNone
	lo, hi        uint32
	search        int // searchNone, searchEmail, searchName
	needle        []byte
	offset, limit int
}

// buyerSel is a set of shops: all of them, or those whose positions are set.
type buyerSel struct {
	all bool
	in  []bool // by position
	key string // names the set, for the view cache
}

// keySpec is a sort key: a column, or round(num × scale / den) as per-customer amounts and
// rates are (0 when den is 0).
type keySpec struct {
	num, den int
	scale    int64
}

func (k keySpec) of(f *figs) int64 {
	if k.den == colNone {
		return f.val(k.num)
	}
	return roundDiv(f.val(k.num)*k.scale, f.val(k.den))
}

// at is of for the all-shops figures of buyer i, reading only the columns the key needs.
func (k keySpec) at(c *figCols, i int32) int64 {
	if k.den == colNone {
		return c.val(i, k.num)
	}
	return roundDiv(c.val(i, k.num)*k.scale, c.val(i, k.den))
}

// roundDiv divides rounding half away from zero, as the stored per_customer and rates are.
func roundDiv(x, n int64) int64 {
	switch {
	case n == 0:
		return 0
	case x >= 0:
		return (x + n/2) / n
	}
	return (x - n/2) / n
}

// excluded marks a buyer the request does not select. Keys are oriented (negated for an
// ascending sort) so that larger comes first; no oriented key is this small.
const excluded = math.MinInt64

// cand is a selected buyer: its oriented key, the first bytes of its e-mail, its index.
type cand struct {
	ord    int64
	prefix uint64
	i      int32
}

func (a cand) before(b cand) int {
	if c := cmp.Compare(b.ord, a.ord); c != 0 {
		return c
	}
	return cmp.Compare(a.prefix, b.prefix)
}

// everyone is a threshold every selected buyer passes.
var everyone = cand{ord: excluded + 1}

// scan is one request's pass over the buyers.
type scan struct {
	d      *buyerData
	q      *buyerQuery
	v      *buyerView
	sign   int64
	date   []uint32 // the filtered date column, nil without a date filter
	num    []uint32 // the key's columns: num32 or num64, and den unless the key is a column
	num64  []int64
	den    []uint32
	rawKey bool
	g      *gathered // set when ranking the view's candidates (gather)
}

func (d *buyerData) newScan(q *buyerQuery) *scan {
	sc := &scan{d: d, q: q, v: d.view(&q.sel), sign: -1}
	if q.desc {
		sc.sign = 1
	}
	if q.dateCol != colNone {
		sc.date = d.c.u32col(q.dateCol)
	}
	if isMoneyCol(q.key.num) {
		sc.num64 = d.c.i64col(q.key.num)
	} else {
		sc.num = d.c.u32col(q.key.num)
	}
	if q.key.den != colNone {
		sc.den = d.c.u32col(q.key.den)
	}
	return sc
}

// key returns the oriented key of buyer i, or excluded.
func (sc *scan) key(i int32) int64 {
	d, q := sc.d, sc.q
	h := d.home[i]
	switch {
	case h == homeDead || (h >= 0 && !q.sel.in[h]):
		return excluded
	case h <= homeMulti && sc.v != nil && sc.v.kind[homeMulti-h] == viewNone:
		return excluded
	case h <= homeMulti && sc.v != nil && sc.v.kind[homeMulti-h] == viewPart:
		f := &sc.v.parts[sc.v.part[homeMulti-h]]
		if t := uint32(f.val(q.dateCol)); sc.date != nil && (t < q.lo || t > q.hi) {
			return excluded
		}
		return q.key.of(f) * sc.sign
	case sc.date != nil && (sc.date[i] < q.lo || sc.date[i] > q.hi):
		return excluded
	}
	return q.key.at(&d.c, i) * sc.sign
}

// passedKey is key for a buyer that passed the threshold, so is selected: buyer i at
// candidate position p. For all shops, or a set's gathered columns, it reads the scan's
// columns directly.
func (sc *scan) passedKey(i int32, p int) int64 {
	var num, den int64
	switch {
	case sc.g != nil:
		if sc.g.num64 != nil {
			num = sc.g.num64[p]
		} else {
			num = int64(sc.g.num[p])
		}
		if sc.g.den == nil {
			return num * sc.sign
		}
		den = int64(sc.g.den[p])
	case sc.q.sel.all:
		if sc.num64 != nil {
			num = sc.num64[i]
		} else {
			num = int64(sc.num[i])
		}
		if sc.den == nil {
			return num * sc.sign
		}
		den = int64(sc.den[i])
	default:
		return sc.key(i)
	}
	return roundDiv(num*sc.q.key.scale, den) * sc.sign
}

// pass counts the selected buyers among candidates [from, to) and writes to out the
// positions (from 0) of those that come before or with t, returning both numbers. out needs
// one slot more than the candidates.
func (sc *scan) pass(cs candidates, from, to int, t cand, out []int32) (count, n int) {
	switch {
	case sc.g != nil && sc.g.num64 != nil:
		return passGathered(sc, sc.g.num64, from, to, t, out)
	case sc.g != nil:
		return passGathered(sc, sc.g.num, from, to, t, out)
	case sc.q.sel.all && cs.idx == nil && sc.den == nil && sc.num64 != nil:
		return passAll(sc, sc.num64, from, to, t, out)
	case sc.q.sel.all && cs.idx == nil && sc.den == nil:
		return passAll(sc, sc.num, from, to, t, out)
	case sc.num64 != nil:
		return passCol(sc, sc.num64, cs, from, to, t, out)
	}
	return passCol(sc, sc.num, cs, from, to, t, out)
}

// gathered are a scan's columns as its view gathered them, by candidate position.
type gathered struct {
	date, num, den []uint32
	num64          []int64
}

// gather switches the scan to the view's candidates and their gathered columns.
func (sc *scan) gather() {
	v, q := sc.v, sc.q
	g := &gathered{}
	if sc.date != nil {
		g.date = v.col32(sc.d, q.dateCol)
	}
	if sc.num64 != nil {
		g.num64 = v.col64(sc.d, q.key.num)
	} else {
		g.num = v.col32(sc.d, q.key.num)
	}
	if sc.den != nil {
		g.den = v.col32(sc.d, q.key.den)
	}
	sc.g = g
}

// candidates are the buyers a request ranks: idx, or every buyer when idx is nil.
type candidates struct {
	idx []int32
	n   int
}

func (cs candidates) at(j int) int32 {
	if cs.idx == nil {
		return int32(j)
	}
	return cs.idx[j]
}

type column interface{ ~uint32 | ~int64 }

// passCol is the hot loop of the list. A buyer of one shop (or of several when all shops are
// selected) is decided from its shop and columns without a branch on the data, since
// selection by shop and ties on counts would mispredict a branch every other buyer; buyers
// of several shops of a partial selection go through key.
func passCol[T column](sc *scan, num []T, cs candidates, from, to int, t cand, out []int32) (count, n int) {
	home, in, all, prefix := sc.d.home, sc.q.sel.in, sc.q.sel.all, sc.d.prefix
	date, lo, span, den, scale, sign := sc.date, sc.q.lo, sc.q.hi-sc.q.lo, sc.den, sc.q.key.scale, sc.sign
	tord, tprefix := t.ord, t.prefix
	for j := from; j < to; j++ {
		i := int32(j)
		if cs.idx != nil {
			i = cs.idx[j]
		}
		h := home[i]
		var o int64
		if h < 0 && (h == homeDead || !all) {
			o = sc.key(i)
		} else {
			o = int64(num[i])
			if den != nil {
				o = roundDiv(o*scale, int64(den[i]))
			}
			o *= sign
			ok := true
			if h >= 0 {
				ok = in[h]
			}
			if date != nil && date[i]-lo > span { // outside [lo, hi], by unsigned wrap-around
				ok = false
			}
			if !ok {
				o = excluded
			}
		}
		sel, take := tally(o, tord, prefix[i], tprefix)
		count += sel
		out[n] = int32(j - from)
		n += take
	}
	return count, n
}

// passAll is passCol over every buyer for every shop, the list's default: a buyer is
// selected unless it has no figures any more, so the loop reads the columns in order and
// branches only where the data almost never goes. The key is a column: a ratio arrives as
// one (ratioCol).
func passAll[T column](sc *scan, num []T, from, to int, t cand, out []int32) (count, n int) {
	num = num[from:to]
	home, prefix := sc.d.home[from:to], sc.d.prefix[from:to]
	home, prefix = home[:len(num)], prefix[:len(num)]
	sign, tord, tprefix := sc.sign, t.ord, t.prefix
	if sc.date == nil {
		// A column and nothing else, the commonest request: few enough live values that
		// the loop keeps them all in registers.
		for j, v := range num {
			o := int64(v) * sign
			if home[j] == homeDead {
				o = excluded
			}
			sel, take := tally(o, tord, prefix[j], tprefix)
			count += sel
			out[n] = int32(j)
			n += take
		}
		return count, n
	}
	date, lo, span := sc.date[from:to], sc.q.lo, sc.q.hi-sc.q.lo
	date = date[:len(num)]
	for j, v := range num {
		o := int64(v) * sign
		if home[j] == homeDead || date[j]-lo > span {
			o = excluded
		}
		sel, take := tally(o, tord, prefix[j], tprefix)
		count += sel
		out[n] = int32(j)
		n += take
	}
	return count, n
}

// passGathered is passCol over a view's candidates, by position in the view, with the
// view's columns: every candidate is of the set, so only the date filter excludes one.
func passGathered[T column](sc *scan, num []T, from, to int, t cand, out []int32) (count, n int) {
	prefix, date, lo, span, den, scale, sign := sc.v.prefix, sc.g.date, sc.q.lo, sc.q.hi-sc.q.lo, sc.g.den, sc.q.key.scale, sc.sign
	tord, tprefix := t.ord, t.prefix
	for j := from; j < to; j++ {
		o := int64(num[j])
		if den != nil {
			o = roundDiv(o*scale, int64(den[j]))
		}
		o *= sign
		if date != nil && date[j]-lo > span {
			o = excluded
		}
		sel, take := tally(o, tord, prefix[j], tprefix)
		count += sel
		out[n] = int32(j - from)
		n += take
	}
	return count, n
}

// tally tells whether key o is selected, and whether o with e-mail prefix p comes before
// or with the threshold, without a branch: the scan loops call it for every buyer.
func tally(o, tord int64, p, tprefix uint64) (sel, take int) {
	gt, eq, le := 0, 0, 0
	if o != excluded {
		sel = 1
	}
	if o > tord {
		gt = 1
	}
	if o == tord {
		eq = 1
	}
	if p <= tprefix {
		le = 1
	}
	return sel, gt | eq&le
}

// sampleStride spaces the sample that estimates where the page's last row lies.
const sampleStride = 256

// passBuf is where a pass writes the positions of the buyers that pass, one slot per
// candidate, outside the Go heap; and the sample and the passed buyers, kept from request
// to request. Each ranking slot of the index owns one (buyerIndex.ranks): grown anew for
// every request, these were most of the server's allocations.
type passBuf struct {
	pos           []int32
	sample, cands []cand
}

// fit makes room for n positions.
func (b *passBuf) fit(n int) []int32 {
	if cap(b.pos) < n {
		freeCol(b.pos)
		b.pos = makeCol[int32](n)
	}
	return b.pos[:n]
}

// maxKeptCands bounds what a slot keeps between requests (1.5 MiB): a rare deep page
// passes many buyers, and its buffer should go with it.
const maxKeptCands = 1 << 16

func keepCands(c []cand) []cand {
	if cap(c) > maxKeptCands {
		return nil
	}
	return c[:0]
}

// free releases the buffer; its owner must not be ranking.
func (b *passBuf) free() {
	if cap(b.pos) > 0 {
		freeCol(b.pos)
		b.pos = nil
	}
}

// ratioCol returns a ratio key (a rate, an amount per order) of every buyer over all shops,
// computed on first use and kept until the buyers change: a ratio sort then scans one column
// as the other sorts do, instead of dividing for each buyer. The two latest are kept (8 MiB
// each at a million buyers).
func (d *buyerData) ratioCol(k keySpec) []int64 {
	d.viewMu.Lock()
	defer d.viewMu.Unlock()
	if c, ok := d.ratios[k]; ok {
		return c
	}
	c := make([]int64, len(d.ids))
	for i := range c {
		c[i] = k.at(&d.c, int32(i))
	}
	if d.ratios == nil || len(d.ratios) >= 2 {
		d.ratios = map[keySpec][]int64{}
	}
	d.ratios[k] = c
	return c
}

// rank returns the page of buyer indexes and the number of buyers the query selects.
// Sorting every selected buyer would cost more than finding them; instead the keys of every
// sampleStride-th buyer estimate a threshold that the first offset+limit buyers pass, one
// pass counts the selected buyers and collects those that pass (about 1.5 × offset+limit),
// and only the page among them is sorted. A threshold that proves too strict is loosened
// (twice the sample rank, at last every selected buyer) and the pass repeated.
func (d *buyerData) rank(q *buyerQuery, buf *passBuf) ([]int32, int) {
	sc := d.newScan(q)
	cs := candidates{n: len(d.ids)}
	switch {
	case q.search != searchNone:
		cs.idx = d.cachedSearch(q.search, q.needle)
		cs.n = len(cs.idx)
	case sc.v != nil && sc.v.cands != nil:
		cs.idx, cs.n = sc.v.cands, len(sc.v.cands)
		sc.gather()
	case q.sel.all && sc.den != nil:
		sc.num64, sc.num, sc.den = d.ratioCol(q.key), nil, nil
	}
	want := q.offset + q.limit
	sample := buf.sample[:0]
	defer func() { buf.sample = keepCands(sample) }()
	for j := 0; j < cs.n; j += sampleStride {
		i := cs.at(j)
		if o := sc.key(i); o != excluded {
			sample = append(sample, cand{o, d.prefix[i], i})
		}
	}
	// threshold is the sample's r-th key, or everyone when the sample is that short.
	r := want*3/2/sampleStride + 12
	threshold := func() cand {
		if r >= len(sample) {
			return everyone
		}
		nthElement(sample, r, cand.before)
		return sample[r]
	}
	t := threshold()
	pos := buf.fit(cs.n + runtime.GOMAXPROCS(0))
	cands := buf.cands[:0]
	defer func() { buf.cands = keepCands(cands) }()
	var count atomic.Int64
	for {
		var mu sync.Mutex
		cands = cands[:0]
		count.Store(0)
		parts(cs.n, func(k, from, to int) {
			// Each part writes positions from its own start; the branch-free store needs one
			// slot past the part, so parts are spaced by one.
			out := pos[from+k:]
			c, n := sc.pass(cs, from, to, t, out)
			count.Add(int64(c))
			mu.Lock()
			for _, j := range out[:n] {
				p := from + int(j)
				i := cs.at(p)
				cands = append(cands, cand{sc.passedKey(i, p), d.prefix[i], i})
			}
			mu.Unlock()
		})
		if len(cands) >= want || t == everyone || q.offset >= int(count.Load()) {
			break
		}
		// Short by a little, as when the page lies in a long tie: twice the rank, rather than
		// every selected buyer at once.
		r *= 2
		t = threshold()
	}
	if q.offset >= len(cands) {
		return nil, int(count.Load())
	}
	// Only the page's rows need sorting: select its first row, then its last, then sort it.
	order := func(a, b cand) int {
		if c := a.before(b); c != 0 {
			return c
		}
		if c := cmp.Compare(d.emailString(a.i), d.emailString(b.i)); c != 0 {
			return c
		}
		return cmp.Compare(d.ids[a.i], d.ids[b.i])
	}
	end := min(want, len(cands))
	nthElement(cands, q.offset, order)
	nthElement(cands[q.offset:], end-q.offset-1, order)
	slices.SortFunc(cands[q.offset:end], order)
	page := make([]int32, 0, end-q.offset)
	for _, c := range cands[q.offset:end] {
		page = append(page, c.i)
	}
	return page, int(count.Load())
}

// parts runs fn over [0, n) in as many parts as there are processors, when n is large
// enough to pay for the goroutines: a request of a million buyers is a few milliseconds of
// scanning, which halves on two cores.
func parts(n int, fn func(k, from, to int)) {
	p := runtime.GOMAXPROCS(0)
	if n < parallelMin || p == 1 {
		fn(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range p {
		wg.Go(func() { fn(k, n*k/p, n*(k+1)/p) })
	}
	wg.Wait()
}

// parallelMin is the fewest candidates scanned in parts (a variable for tests).
var parallelMin = 1 << 16

// nthElement reorders c so that c[k] is the element a sort would put there, with none after
// it ordered before it and none before it after (quickselect).
func nthElement(c []cand, k int, order func(a, b cand) int) {
	lo, hi := 0, len(c)-1
	for lo < hi {
		// Median of three as pivot, then a Hoare partition.
		m := lo + (hi-lo)/2
		if order(c[m], c[lo]) < 0 {
			c[m], c[lo] = c[lo], c[m]
		}
		if order(c[hi], c[lo]) < 0 {
			c[hi], c[lo] = c[lo], c[hi]
		}
		if order(c[hi], c[m]) < 0 {
			c[hi], c[m] = c[m], c[hi]
		}
		p := c[m]
		i, j := lo, hi
		for i <= j {
			for order(c[i], p) < 0 {
				i++
			}
			for order(p, c[j]) < 0 {
				j--
			}
			if i <= j {
				c[i], c[j] = c[j], c[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}
