package ingest

import (
	"context"
	"fmt"
)

// customerLocator is a store that can say where it holds the customers of some buyers
// (sqlstore.Store, on both engines): their ids by e-mail address, and its highest id.
type customerLocator interface {
	CustomerIDs(ctx context.Context, emails []string) (map[string]int64, error)
	LastCustomerID(ctx context.Context) (int64, error)
}

// A second month of shipments is mostly buyers the store already has. Spooled by a hash of
// their e-mail, a batch of them is customers from all over the store wherever the first
// month was imported in another order (in one transaction, in file order, by another
// kind of report): every transaction then rewrites figures rows and index pages all over
// the file. Spooled by customer id, a batch is a run of neighbouring customers. The second
// month of a 500 000-order report after the first imported in one transaction ran at
// 48 920–53 839 rows/s by hash and 65 269–72 306 by id on SQLite (docs/BENCHMARKS.md,
// 2026-12-06 evening).
//
// The buyers are looked up as the report is read, locateBatch new ones at a time, by a
// goroutine of their own: on two cores the lookups run beside the reading, which the
// writer waits for. The rows of a buyer not yet looked up are held in memory until it is,
// then written to the spool in file order. Looked up in the reading goroutine, they made the
// second month of the same report after the first imported buyer by buyer 4–6 % slower.

// locateBatch is how many new buyers one lookup asks the store for.
var locateBatch = 4096

// buyerPlaces decides the bucket of each buyer of a report.
type buyerPlaces struct {
	top     int64             // the highest customer id when the import began
	bucket  map[uint64]uint16 // a buyer's hash → its bucket, or unplaced while it is looked up
	asked   []string          // the buyers to look up next
	held    []heldRow         // the rows of buyers being looked up, in file order
	heldBuf []byte
	ask     chan []string // to the lookup goroutine
	found   chan located  // from it, in the order asked
	pending int           // lookups asked and not yet placed
	stop    context.CancelFunc
	// newBucket is the bucket of a buyer the store does not have (buyerSpool.newBucket).
	newBucket func(buyer string) int
}

// heldRow is a spooled row waiting for its buyer's bucket: its record is heldBuf[start:end].
type heldRow struct {
	buyer      uint64
	order      string
	start, end int
}

// located is the answer to one lookup: the buyers asked, the ids of those stored.
type located struct {
	buyers []string
	ids    map[string]int64
	err    error
}

const unplaced = spoolBuckets

// newBuyerPlaces returns nil for a store without customers: every buyer is new, and goes by
// hash without a lookup. close must be called when the spool is done with it.
func newBuyerPlaces(ctx context.Context, customers customerLocator) (*buyerPlaces, error) {
	top, err := customers.LastCustomerID(ctx)
	if err != nil {
		return nil, fmt.Errorf("finding the report's buyers among the customers: %w", err)
	}
	if top == 0 {
		return nil, nil
	}
	ctx, stop := context.WithCancel(ctx)
	p := &buyerPlaces{top: top, bucket: map[uint64]uint16{}, ask: make(chan []string, 2), found: make(chan located, 2), stop: stop}
	go func() {
		defer close(p.found)
		for buyers := range p.ask {
			ids, err := customers.CustomerIDs(ctx, buyers)
			select {
			case p.found <- located{buyers, ids, err}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return p, nil
}

// close stops the lookup goroutine.
func (p *buyerPlaces) close() {
	p.stop()
	close(p.ask)
}

// put returns the bucket of a row of buyer (hashed h), or -1 when the buyer is being looked
// up and the row (rec) is held.
func (p *buyerPlaces) put(h uint64, buyer, order string, rec []byte) int {
	i, seen := p.bucket[h]
	if !seen {
		// Two buyers with one hash share a bucket: it only costs the second its neighbours.
		p.bucket[h] = unplaced
		p.asked = append(p.asked, buyer)
		i = unplaced
	}
	if i != unplaced {
		return int(i)
	}
	start := len(p.heldBuf)
	p.heldBuf = append(p.heldBuf, rec...)
	p.held = append(p.held, heldRow{buyer: h, order: order, start: start, end: len(p.heldBuf)})
	return -1
}

// send hands the asked buyers to the lookup goroutine.
func (p *buyerPlaces) send() {
	p.ask <- p.asked
	p.asked = nil
	p.pending++
}

// placeNext places the buyers of the next answered lookup, waiting for it when wait is set;
// without wait it reports whether there was an answer to place.
func (p *buyerPlaces) placeNext(wait bool) (bool, error) {
	var l located
	var ok bool
	if wait {
		l, ok = <-p.found
	} else {
		select {
		case l, ok = <-p.found:
		default:
			return false, nil
		}
	}
	p.pending--
	if !ok {
		return true, fmt.Errorf("finding the report's buyers among the customers: %w", context.Canceled)
	}
	if l.err != nil {
		return true, fmt.Errorf("finding the report's buyers among the customers: %w", l.err)
	}
	for _, buyer := range l.buyers {
		h := buyerHash(buyer)
		if id, ok := l.ids[buyer]; ok {
			// A customer added since the import began goes with the last ones.
			p.bucket[h] = uint16(min(id, p.top) * storedBuckets / (p.top + 1))
		} else {
			p.bucket[h] = uint16(p.newBucket(buyer))
		}
	}
	return true, nil
}
