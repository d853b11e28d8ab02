package sqlstore

import (
	"encoding/binary"
	"runtime"
	"sort"
	"sync"

	"github.com/shopcrm/shopcrm"
)

// The customer list ranks buyers in memory. Sorting a million buyers by any of sixteen
// figures, over any set of shops, under a date or text filter, with an exact total, is a scan
// of two or three compact columns here; in SQL it would take an index per field and per shop
// set, and a count per filter. The figures themselves stay where ingest maintains them
// (customer_figures); this index mirrors the few numbers ranking needs, and the change log of
// migration 00030 tells each process which buyers to read again.

// strRef locates a string in the arena. An e-mail is stored without its domain, which is
// interned (dom > 0): a million Amazon buyers share one.
type strRef struct {
	off uint32
	n   uint16
	dom uint16
}

// buyerData is one state of the index. Ranking reads it under the holder's read lock;
// applying changes writes it under the write lock; a full reload builds a new one.
type buyerData struct {
	shops []*shopcrm.Shop
	pos   map[int64]int32 // sid → position in shops; positions never move

	ids         []int64 // customer ids, ascending; a buyer's index is its position here
	home        []int32 // shop position, homeDead, or homeMulti - m
	c           figCols
	prefix      []uint64 // first 8 bytes of the e-mail, big-endian: most ties break on it
	email       []strRef
	name        []strRef
	emailSig    []uint64 // bigram signatures, see sig; e-mails have two, hashed differently
	emailSg2    []uint64
	nameSig     []uint64
	arena       []byte
	garbage     int // arena bytes no ref points at any more
	garbageRows int // multiRows no entry points at any more
	domains     []string
	domainID    map[string]uint16

	multi     []multiEntry
	multiRows []figs // per-shop rows of multi entries, in sid order within an entry
	freeMulti []int32

	viewMu   sync.Mutex
	views    map[string]*buyerView
	searches map[searchKey][]int32 // see cachedSearch
	ratios   map[keySpec][]int64   // see ratioCol
}

type searchKey struct {
	field  int
	needle string
}

// dropCaches forgets the views, searches and ratio columns, which describe the buyers as they were; the
// caller holds the write lock.
func (d *buyerData) dropCaches() {
	d.views, d.searches, d.ratios = nil, nil, nil
}

type multiEntry struct{ start, n int32 }

// newBuyerData returns an empty index with room for n buyers: growing a column by append
// would leave its old copy behind, a million buyers' worth of garbage at a time.
func newBuyerData(n int) *buyerData {
	d := &buyerData{pos: map[int64]int32{}, domainID: map[string]uint16{}, domains: []string{""},
		ids: makeCol[int64](n), home: makeCol[int32](n), prefix: makeCol[uint64](n),
		email: makeCol[strRef](n), name: makeCol[strRef](n),
		emailSig: makeCol[uint64](n), emailSg2: makeCol[uint64](n), nameSig: makeCol[uint64](n),
		arena: makeCol[byte](n * 36), multiRows: makeCol[figs](n / 4)}
	for k := range d.c.count {
		d.c.count[k] = makeCol[uint32](n)
	}
	for k := range d.c.money {
		d.c.money[k] = makeCol[int64](n)
	}
	for k := range d.c.date {
		d.c.date[k] = makeCol[uint32](n)
	}
	return d
}

// free releases the columns; the index must not be used after.
func (d *buyerData) free() {
	freeCol(d.ids)
	freeCol(d.home)
	freeCol(d.prefix)
	freeCol(d.email)
	freeCol(d.name)
	freeCol(d.emailSig)
	freeCol(d.emailSg2)
	freeCol(d.nameSig)
	freeCol(d.arena)
	freeCol(d.multiRows)
	for k := range d.c.count {
		freeCol(d.c.count[k])
	}
	for k := range d.c.money {
		freeCol(d.c.money[k])
	}
	for k := range d.c.date {
		freeCol(d.c.date[k])
	}
	*d = buyerData{}
}

// shopPos returns the position of a sid, adding the shop when it is new.
func (d *buyerData) shopPos(sid int64) int32 {
	if p, ok := d.pos[sid]; ok {
		return p
	}
	p := int32(len(d.shops))
	d.pos[sid] = p
	d.shops = append(d.shops, &shopcrm.Shop{SID: sid})
	return p
}

// setShops refreshes names, currencies and zones; positions stay.
func (d *buyerData) setShops(shops []*shopcrm.Shop) {
	for _, sh := range shops {
		d.shops[d.shopPos(sh.SID)] = sh
	}
}

// buyerRecord is a customer's figures rows as read from the database; byte slices are only
// valid during the callback that receives it.
type buyerRecord struct {
	id          int64
	email, name []byte
	all         figs
	shops       []figs
	sids        []int64 // of shops; positions are resolved when the record is put
}

// put writes a record at index i (len(ids) appends).
func (d *buyerData) put(i int32, r *buyerRecord) {
	if int(i) == len(d.ids) {
		d.ids = push(d.ids, r.id)
		d.home = push(d.home, homeDead)
		d.c.grow()
		d.prefix = push(d.prefix, 0)
		d.email = push(d.email, strRef{})
		d.name = push(d.name, strRef{})
		d.emailSig, d.emailSg2 = push(d.emailSig, 0), push(d.emailSg2, 0)
		d.nameSig = push(d.nameSig, 0)
	}
	if h := d.home[i]; h <= homeMulti {
		m := homeMulti - h
		d.garbageRows += int(d.multi[m].n)
		d.multi[m] = multiEntry{}
		d.freeMulti = append(d.freeMulti, m)
	}
	d.garbage += int(d.email[i].n) + int(d.name[i].n)
	if len(r.shops) == 0 {
		d.home[i] = homeDead
		d.c.set(i, &figs{})
		d.email[i], d.name[i], d.emailSig[i], d.emailSg2[i], d.nameSig[i], d.prefix[i] = strRef{}, strRef{}, 0, 0, 0, 0
		return
	}
	d.c.set(i, &r.all)
	for k, sid := range r.sids {
		r.shops[k].pos = d.shopPos(sid)
	}
	if len(r.shops) == 1 {
		d.home[i] = r.shops[0].pos
	} else {
		// In sid order, not position order: a shop added while the server runs takes the next
		// position whatever its sid, and add breaks same-second ties by the order it is given.
		sid := func(k int) int64 { return d.shops[r.shops[k].pos].SID }
		sort.Slice(r.shops, func(a, b int) bool { return sid(a) < sid(b) })
		var m int32
		if n := len(d.freeMulti); n > 0 {
			m, d.freeMulti = d.freeMulti[n-1], d.freeMulti[:n-1]
		} else {
			m = int32(len(d.multi))
			d.multi = append(d.multi, multiEntry{})
		}
		d.multi[m] = multiEntry{int32(len(d.multiRows)), int32(len(r.shops))}
		d.multiRows = push(d.multiRows, r.shops...)
		d.home[i] = homeMulti - m
	}
	d.email[i] = d.putEmail(r.email)
	d.name[i] = d.putString(r.name, 0)
	local := d.str(d.email[i])
	d.emailSig[i], d.emailSg2[i], d.nameSig[i] = sig(local, sigMul), sig(local, sigMul2), sig(r.name, sigMul)
	var p [8]byte
	copy(p[:], r.email)
	d.prefix[i] = binary.BigEndian.Uint64(p[:])
}

func (d *buyerData) putString(b []byte, dom uint16) strRef {
	if len(b) > 0xffff {
		b = b[:0xffff]
	}
	ref := strRef{off: uint32(len(d.arena)), n: uint16(len(b)), dom: dom}
	d.arena = push(d.arena, b...)
	return ref
}

// putEmail stores the part before the last '@' and interns the domain; an address without
// '@', or once the domain table is full, is stored whole with dom 0.
func (d *buyerData) putEmail(b []byte) strRef {
	at := -1
	for k := len(b) - 1; k >= 0; k-- {
		if b[k] == '@' {
			at = k
			break
		}
	}
	if at < 0 {
		return d.putString(b, 0)
	}
	dom, ok := d.domainID[string(b[at+1:])]
	if !ok {
		if len(d.domains) > 0xffff {
			return d.putString(b, 0)
		}
		dom = uint16(len(d.domains))
		d.domains = append(d.domains, string(b[at+1:]))
		d.domainID[d.domains[dom]] = dom
	}
	return d.putString(b[:at], dom)
}

func (d *buyerData) str(r strRef) []byte { return d.arena[r.off : r.off+uint32(r.n)] }

// emailString rebuilds buyer i's lower-case e-mail.
func (d *buyerData) emailString(i int32) string {
	r := d.email[i]
	if r.dom == 0 {
		return string(d.str(r))
	}
	return string(d.str(r)) + "@" + d.domains[r.dom]
}

// compact rebuilds the arena and the multi rows without what changes left behind.
func (d *buyerData) compact() {
	arena := makeCol[byte](len(d.arena) - d.garbage + len(d.arena)/8)
	move := func(r strRef) strRef {
		off := uint32(len(arena))
		arena = push(arena, d.str(r)...)
		r.off = off
		return r
	}
	for i := range d.ids {
		d.email[i], d.name[i] = move(d.email[i]), move(d.name[i])
	}
	rows := makeCol[figs](len(d.multiRows))
	for m, e := range d.multi {
		if e.n > 0 {
			rows = push(rows, d.multiRows[e.start:e.start+e.n]...)
			d.multi[m].start = int32(len(rows)) - e.n
		}
	}
	freeCol(d.arena)
	freeCol(d.multiRows)
	d.arena, d.garbage, d.multiRows, d.garbageRows = arena, 0, rows, 0
}

// buyerIndex holds the current buyerData of a store.
type buyerIndex struct {
	syncMu sync.Mutex   // one refresh at a time
	mu     sync.RWMutex // ranking reads d; applying changes writes it
	d      *buyerData
	log    changeLog
	// version is the data version the index last caught up at ("" = read the log).
	version string

	// ranks admits one ranking per core, each with the pass buffer of its slot. A ranking
	// already spreads over every core, so more at once only queue inside the scheduler, each
	// holding a buffer of 4 bytes per buyer: 32 at once held 128 MiB at a million buyers.
	ranks chan *passBuf
}

// buyers returns the store's index, created empty on first use; Close releases it.
func (s *Store) buyers() *buyerIndex {
	s.buyersOnce.Do(func() {
		x := &buyerIndex{ranks: make(chan *passBuf, runtime.GOMAXPROCS(0))}
		for range cap(x.ranks) {
			x.ranks <- new(passBuf)
		}
		s.buyerIdx = x
	})
	return s.buyerIdx
}

// freeBuffers releases the pass buffers of the slots not ranking; a store being closed
// has none ranking.
func (x *buyerIndex) freeBuffers() {
	for {
		select {
		case b := <-x.ranks:
			b.free()
		default:
			return
		}
	}
}

// release frees the index's columns.
func (x *buyerIndex) release() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.d != nil {
		x.d.free()
		x.d = nil
	}
}
