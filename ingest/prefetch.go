package ingest

import (
	"context"

	"github.com/shopcrm/shopcrm"
)

// orderPrefetcher is a store that can read what writing a batch of orders needs of the
// stored ones ahead of the write, apart from its writer (sqlstore.Store, on both engines).
// The returned function writes the orders as UpsertOrders would.
type orderPrefetcher interface {
	PrefetchOrders(ctx context.Context, orders []*shopcrm.Order) (func(context.Context) (shopcrm.WriteResult, error), error)
}

// prefetch passes batches from the reader to the writer, reading each one's stored orders
// on the way: a third goroutine, so that on two cores the reading of the next batch runs
// beside the writer's transaction rather than in the parser's time. A batch it could not
// read ahead goes on as it came, and the writer reads for it. It stops when in is closed
// or the writer is dead, and closes out.
func prefetch(ctx context.Context, pf orderPrefetcher, in <-chan *batch, out chan<- *batch, dead <-chan struct{}) {
	defer close(out)
	for bt := range in {
		if len(bt.orders) > 0 {
			if upsert, err := pf.PrefetchOrders(ctx, bt.orderList()); err == nil {
				bt.upsertOrders = upsert
			}
		}
		select {
		case out <- bt:
		case <-dead:
			return
		}
	}
}
