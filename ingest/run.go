package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/amazon"
)

// Import imports one file read from r (size bytes, for the progress bar; 0 when unknown)
// into the shop sid. name is the file name used in the result and in skip reports.
func (im *Importer) Import(ctx context.Context, sid int64, kind Kind, name string, r io.Reader, size int64) (*FileResult, error) {
	res := &FileResult{File: name, Kind: kind}
	shop, err := im.shop(ctx, sid)
	if err != nil {
		return res, err
	}
	if err := im.run(ctx, shop, kind, r, size, res); err != nil {
		return res, fmt.Errorf("%s: %w", name, err)
	}
	return res, nil
}

// run reads in this goroutine and writes in another, one batch apart.
func (im *Importer) run(ctx context.Context, shop *shopcrm.Shop, kind Kind, r io.Reader, size int64, res *FileResult) error {
	start := time.Now()
	defer func() { res.Took = time.Since(start) }()
	limit := im.Batch
	if limit <= 0 {
		limit = DefaultBatch
	}
	ch := make(chan *batch, 1)
	dead := make(chan struct{})
	var written shopcrm.WriteResult
	var werr error
	// A CPU profile of an import (demo --cpuprofile) splits the store's work by kind:
	// go tool pprof -tags, or -tagfocus kind=amazon-feedback.
	labels := pprof.WithLabels(ctx, pprof.Labels("kind", string(kind)))
	toWriter := (<-chan *batch)(ch)
	if pf, ok := im.Store.(orderPrefetcher); ok {
		next := make(chan *batch)
		go func() {
			pprof.SetGoroutineLabels(labels)
			prefetch(ctx, pf, ch, next, dead)
		}()
		toWriter = next
	}
	go func() {
		defer close(dead)
		pprof.SetGoroutineLabels(labels)
		werr = im.write(ctx, toWriter, &written)
	}()
	var prog Progress
	if im.Progress != nil {
		prog = im.Progress(res.File, size)
	}
	b := &builder{ctx: ctx, shop: shop, limit: limit, res: res, cur: newBatch(), out: ch, dead: dead, prog: prog,
		byBuyer: im.ByBuyer && (size <= 0 || size >= spoolMinBytes)}
	if cl, ok := im.Store.(customerLocator); ok {
		b.customers = cl
	}
	rerr := read(b, kind, r)
	switch {
	case rerr == nil:
		rerr = b.flush()
	case !errors.Is(rerr, errWriterStopped) && ctx.Err() == nil:
		// A file that breaks off (a cut download, a truncated gzip) has good rows before the
		// break: they are committed like the batches before them, and the break is reported.
		b.flush()
	}
	close(ch)
	<-dead
	res.WriteResult = written
	if prog != nil {
		if rerr == nil && werr == nil {
			prog.Advance(size)
		}
		prog.Finish()
	}
	if werr != nil {
		return werr
	}
	if errors.Is(rerr, errWriterStopped) {
		return nil
	}
	return rerr
}

// read opens the reader of the kind (a missing required column fails the whole file) and
// feeds its rows to the builder.
func read(b *builder, kind Kind, r io.Reader) error {
	if kind != OrdersNDJSON && strings.EqualFold(b.shop.Marketplace, "JP") {
		r = amazon.Japanese(r)
	}
	switch kind {
	case FBAShipments:
		rd, err := amazon.NewShipmentReader(r)
		if err != nil {
			return err
		}
		if b.byBuyer {
			return readByBuyer(b, rd, shipmentCodec, b.shipment)
		}
		return each(b, rd, b.shipment)
	case AllOrders:
		rd, err := amazon.NewOrderReader(r)
		if err != nil {
			return err
		}
		return each(b, rd, b.orderLine)
	case FBAReturns:
		rd, err := amazon.NewFBAReturnReader(r)
		if err != nil {
			return err
		}
		return each(b, rd, b.fbaReturn)
	case MFNReturns:
		rd, err := amazon.NewMFNReturnReader(r)
		if err != nil {
			return err
		}
		return each(b, rd, b.mfnReturn)
	case Settlement:
		rd, err := amazon.NewRefundReader(r)
		if err != nil {
			return err
		}
		return each(b, rd, b.refund)
	case Feedback:
		rd, err := amazon.NewFeedbackReader(r, b.shop.Marketplace)
		if err != nil {
			return err
		}
		return each(b, rd, b.feedbackRow)
	case OrdersNDJSON:
		rd, err := newNDJSONReader(r, b.shop.Location())
		if err != nil {
			return err
		}
		if b.byBuyer {
			return readByBuyer(b, rd, ndjsonCodec, b.ndjsonLine)
		}
		return each(b, rd, b.ndjsonLine)
	}
	return shopcrm.Errorf(shopcrm.EINVALID, "unknown kind %q", kind)
}

// write sends each batch to the store: catalogue, orders, after-sales, feedback, in that
// order, each call one transaction.
func (im *Importer) write(ctx context.Context, in <-chan *batch, res *shopcrm.WriteResult) error {
	for bt := range in {
		if len(bt.products) > 0 {
			r, err := im.Store.UpsertProducts(ctx, bt.products)
			if err != nil {
				return fmt.Errorf("products: %w", err)
			}
			res.Add(r)
		}
		if len(bt.orders) > 0 {
			upsert := bt.upsertOrders
			if upsert == nil {
				orders := bt.orderList()
				upsert = func(ctx context.Context) (shopcrm.WriteResult, error) { return im.Store.UpsertOrders(ctx, orders) }
			}
			r, err := upsert(ctx)
			if err != nil {
				return fmt.Errorf("orders: %w", err)
			}
			res.Add(r)
		}
		if len(bt.afterSales) > 0 {
			r, err := im.Store.UpsertAfterSales(ctx, bt.afterSales)
			if err != nil {
				return fmt.Errorf("after-sales: %w", err)
			}
			res.Add(r)
		}
		if len(bt.feedback) > 0 {
			r, err := im.Store.UpsertFeedback(ctx, bt.feedback)
			if err != nil {
				return fmt.Errorf("feedback: %w", err)
			}
			res.Add(r)
		}
	}
	return nil
}
