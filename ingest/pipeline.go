package ingest

import (
	"context"
	"errors"
	"io"
	"strconv"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// batch is what one round of store calls writes; each call is its own transaction.
type batch struct {
	orders     []*orderAgg
	byKey      map[string]*orderAgg
	afterSales []*shopcrm.AfterSale
	asIndex    map[string]int
	feedback   []*shopcrm.Feedback
	fbIndex    map[string]int
	products   []*shopcrm.Product
	// upsertOrders writes the orders with their stored copies read ahead (prefetch.go);
	// nil when they were not.
	upsertOrders func(context.Context) (shopcrm.WriteResult, error)
}

func (b *batch) orderList() []*shopcrm.Order {
	orders := make([]*shopcrm.Order, len(b.orders))
	for i, a := range b.orders {
		orders[i] = a.o
	}
	return orders
}

func newBatch() *batch {
	return &batch{byKey: map[string]*orderAgg{}, asIndex: map[string]int{}, fbIndex: map[string]int{}}
}

func (b *batch) size() int {
	return len(b.orders) + len(b.afterSales) + len(b.feedback) + len(b.products)
}

// builder collects the records read from one file into batches and hands each full batch
// to the writer. Reading and writing run in two goroutines, so parsing the next batch
// overlaps the store's transaction.
type builder struct {
	ctx   context.Context
	shop  *shopcrm.Shop
	limit int
	res   *FileResult
	cur   *batch
	out   chan<- *batch
	dead  <-chan struct{} // closed when the writer stops
	prog  Progress
	// seen counts the file's rows per key, for rows whose report has no id of their own
	// (see nth).
	seen map[string]int
	// byBuyer writes a shipments report or orders-ndjson file buyer by buyer (bybuyer.go).
	byBuyer bool
	// customers places the buyers of a file written buyer by buyer; nil: by hash alone.
	customers customerLocator
}

// nth returns key for the first row of the file with that key, and key#2, key#3… for the
// next ones: the natural key of a row that has no id of its own (an FBA return without a
// license plate number, a shipped item without a shipment item id), stable from one import
// of a file to the next.
func (b *builder) nth(key string) string {
	if b.seen == nil {
		b.seen = map[string]int{}
	}
	b.seen[key]++
	if n := b.seen[key]; n > 1 {
		return key + "#" + strconv.Itoa(n)
	}
	return key
}

// order returns the order being assembled under key, starting a new one (and a new batch
// when the current one is full) if there is none. Full batches are cut only between
// orders, so the consecutive lines of an order always land in one transaction.
func (b *builder) order(key string, line int) (*orderAgg, error) {
	if a := b.cur.byKey[key]; a != nil {
		return a, nil
	}
	if b.cur.size() >= b.limit {
		if err := b.flush(); err != nil {
			return nil, err
		}
	}
	a := &orderAgg{line: line}
	b.cur.byKey[key] = a
	b.cur.orders = append(b.cur.orders, a)
	return a, nil
}

// afterSale adds an after-sale item; a later row with the same identifier replaces the
// earlier one, as the store would, so a re-import compares equal instead of flip-flopping.
func (b *builder) afterSale(a *shopcrm.AfterSale, line int) error {
	if err := a.Validate(); err != nil {
		b.res.skipInvalid(line, err)
		return nil
	}
	if i, ok := b.cur.asIndex[a.ItemIdentifier]; ok {
		b.cur.afterSales[i] = a
		return nil
	}
	if b.cur.size() >= b.limit {
		if err := b.flush(); err != nil {
			return err
		}
	}
	b.cur.asIndex[a.ItemIdentifier] = len(b.cur.afterSales)
	b.cur.afterSales = append(b.cur.afterSales, a)
	return nil
}

func (b *builder) feedback(f *shopcrm.Feedback, line int) error {
	if err := f.Validate(); err != nil {
		b.res.skipInvalid(line, err)
		return nil
	}
	if i, ok := b.cur.fbIndex[f.OrderNumber]; ok {
		b.cur.feedback[i] = f
		return nil
	}
	if b.cur.size() >= b.limit {
		if err := b.flush(); err != nil {
			return err
		}
	}
	b.cur.fbIndex[f.OrderNumber] = len(b.cur.feedback)
	b.cur.feedback = append(b.cur.feedback, f)
	return nil
}

func (b *builder) product(p *shopcrm.Product) error {
	if b.cur.size() >= b.limit {
		if err := b.flush(); err != nil {
			return err
		}
	}
	b.cur.products = append(b.cur.products, p)
	return nil
}

// flush closes the current batch and waits until the writer takes it.
func (b *builder) flush() error {
	bt := b.cur
	b.cur = newBatch()
	kept := bt.orders[:0]
	for _, a := range bt.orders {
		if a.o == nil {
			continue
		}
		a.finish()
		if err := a.o.Validate(); err != nil {
			b.res.skipInvalid(a.line, err)
			continue
		}
		kept = append(kept, a)
	}
	bt.orders = kept
	if bt.size() == 0 {
		return nil
	}
	select {
	case b.out <- bt:
		return nil
	case <-b.dead:
		return errWriterStopped
	case <-b.ctx.Done():
		return b.ctx.Err()
	}
}

var errWriterStopped = errors.New("writer stopped")

// rowReader is the shape of every report reader: Next returns a row, a *amazon.RowError
// for a row it skipped, or io.EOF; Offset is how far into the input it has read.
type rowReader[T any] interface {
	Next() (T, error)
	Offset() int64
}

// each feeds every good row of r to fn and records the bad ones.
func each[T any](b *builder, r rowReader[T], fn func(T) error) error {
	for {
		row, err := r.Next()
		if err == io.EOF {
			return nil
		}
		b.res.Rows++
		if b.res.Rows&1023 == 0 {
			if err := b.ctx.Err(); err != nil {
				return err
			}
			if b.prog != nil {
				b.prog.Advance(r.Offset())
			}
		}
		var re *amazon.RowError
		if errors.As(err, &re) {
			b.res.skip(re.Line, re.Field, re.Reason)
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}
