package sqlstore

import (
	"context"
	"database/sql"
	"hash/maphash"
	"sync"
)

// A batch of orders is looked up by (shop, number) before it is written, and on SQLite
// those lookups were about a fifth of a shipments import into a new store: 500 000 probes
// of the random index of numbers, most of them on a reader whose page cache every commit
// empties, all of them misses. orderNumbers is a Bloom filter of the keys of every order in the
// store, kept by the writer, and the lookups ask only for the orders it may hold. Order
// numbers never change once stored, and a delete only leaves a key the filter still
// answers "maybe" for, so the filter need only follow the inserts:
//
//   - every order committed with an id up to through is in it: the writer adds the orders of
//     other connections (another `shopcrm import`), which take ids above every id before
//     them (AUTOINCREMENT), with one query at the start of each of its transactions (sync);
//   - every order the writer inserts is in it before its transaction commits, and through
//     moves past them once it has.
//
// So the writer, inside its transaction, may trust it for every order; a reader (the read
// ahead) only when the largest order id of its snapshot is at most through. It is built on
// the writer's first batch when the store is small, and otherwise once the process has
// asked for an eighth as many orders as the store holds: reading a key from the index
// costs about a seventh of looking one up (0.7 s for a million keys), so a small import
// into a large store does not read them all. PostgreSQL, with many writers at once, has
// none.
type orderNumbers struct {
	mu      sync.RWMutex
	built   bool
	seed    maphash.Seed
	parts   []bloomPart // each four times the size of the one before: a filter cannot grow
	through int64
	asked   int64 // orders asked for while it was not built
}

// bloomPart holds up to limit keys at 12 bits each, tested with bloomProbes bits: fewer than
// 1 in 300 absent keys pass one part, and there are seldom more than five parts.
type bloomPart struct {
	bits     []uint64
	n, limit int
}

const (
	bloomBitsPerKey = 12
	bloomProbes     = 8
	bloomFirstPart  = 1 << 16
)

func newBloomPart(limit int) bloomPart {
	return bloomPart{bits: make([]uint64, (limit*bloomBitsPerKey+63)/64), limit: limit}
}

// probes calls fn with each bit of the key hashed to h (double hashing).
func (p *bloomPart) probes(h uint64, fn func(word int, bit uint64) bool) bool {
	m := uint64(len(p.bits) * 64)
	h1, h2 := h&0xffffffff, h>>32|1
	for i := uint64(0); i < bloomProbes; i++ {
		b := (h1 + i*h2) % m
		if !fn(int(b/64), 1<<(b%64)) {
			return false
		}
	}
	return true
}

func (p *bloomPart) add(h uint64) {
	p.probes(h, func(w int, bit uint64) bool { p.bits[w] |= bit; return true })
	p.n++
}

func (p *bloomPart) has(h uint64) bool {
	return p.probes(h, func(w int, bit uint64) bool { return p.bits[w]&bit != 0 })
}

func (f *orderNumbers) hash(k orderKey) uint64 {
	return mixShop(k.sid, maphash.String(f.seed, k.number))
}

// mixShop folds the shop into the hash of a number, so that it moves every bit.
func mixShop(sid int64, h uint64) uint64 {
	h ^= uint64(sid) * 0x9e3779b97f4a7c15
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>29
}

// addLocked puts the key hashed to h in the filter; f.mu is held.
func (f *orderNumbers) addLocked(h uint64) {
	last := &f.parts[len(f.parts)-1]
	if last.n == last.limit {
		f.parts = append(f.parts, newBloomPart(4*last.limit))
		last = &f.parts[len(f.parts)-1]
	}
	last.add(h)
}

// mayHold returns the keys that may be stored.
func (f *orderNumbers) mayHold(keys []orderKey) []orderKey {
	f.mu.RLock()
	defer f.mu.RUnlock()
	out := keys[:0:0]
	for _, k := range keys {
		h := f.hash(k)
		for i := range f.parts {
			if f.parts[i].has(h) {
				out = append(out, k)
				break
			}
		}
	}
	return out
}

// sync brings the filter up to the store at the start of a writer transaction, which holds
// the database until it ends, and reports whether the writer may trust it; asking is how
// many orders the writer is about to look up. On SQLite only.
func (f *orderNumbers) sync(ctx context.Context, tx *wtx, asking int) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.built {
		err := f.scan(ctx, tx, `SELECT sid, number, id FROM orders WHERE id > $1`, f.through)
		return err == nil, err
	}
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM orders`).Scan(&last); err != nil {
		return false, err
	}
	if f.asked += int64(asking); f.asked*8 < last {
		return false, nil
	}
	f.seed = maphash.MakeSeed()
	f.parts = []bloomPart{newBloomPart(max(bloomFirstPart, 2*int(last)))}
	f.built = true
	// Every key, read from the index of keys rather than the table of orders, ten times its
	// size; nothing commits beside this transaction, so they are the orders up to last.
	err := f.scan(ctx, tx, `SELECT sid, number, $1 FROM orders`, last)
	return err == nil, err
}

// scan adds the orders a query returns (shop, number and id) and moves through past their
// ids. If it fails, the filter is built again from the start the next time.
func (f *orderNumbers) scan(ctx context.Context, tx *wtx, query string, arg int64) error {
	err := func() error {
		rows, err := tx.QueryContext(ctx, query, arg)
		if err != nil {
			return err
		}
		defer rows.Close()
		var sid, id int64
		var number sql.RawBytes
		for rows.Next() {
			if err := rows.Scan(&sid, &number, &id); err != nil {
				return err
			}
			f.addLocked(mixShop(sid, maphash.Bytes(f.seed, number)))
			f.through = max(f.through, id)
		}
		return rows.Err()
	}()
	if err != nil {
		f.built, f.parts, f.through = false, nil, 0
	}
	return err
}

// inserted adds the orders the writer's transaction inserts.
func (f *orderNumbers) inserted(keys []orderKey) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.built {
		for _, k := range keys {
			f.addLocked(f.hash(k))
		}
	}
}

// committed moves through past the ids of orders the writer's transaction inserted, once it
// has committed.
func (f *orderNumbers) committed(lastID int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.built {
		f.through = max(f.through, lastID)
	}
}

// usableAt reports whether a reader may trust the filter: whether every order its snapshot
// holds has an id up to through. (The writer would read again what a read ahead missed of
// another connection's commit, which changes data_version (commitLog); this keeps what the
// read ahead returns true to its snapshot on its own.)
func (f *orderNumbers) usableAt(ctx context.Context, tx *wtx) (bool, error) {
	f.mu.RLock()
	built, through := f.built, f.through
	f.mu.RUnlock()
	if !built {
		return false, nil
	}
	var last int64
	err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM orders`).Scan(&last)
	return err == nil && last <= through, err
}
