package sqlstore

import (
	"context"
	"fmt"
)

// bulkKey marks a context whose writes to the store s join one transaction (Store.Bulk).
type bulkKey struct{ s *Store }

// bulkTx returns the transaction of the Bulk that ctx runs in, or nil.
func (s *Store) bulkTx(ctx context.Context) *wtx {
	w, _ := ctx.Value(bulkKey{s}).(*wtx)
	return w
}

// Bulk runs fn with a context in which every write of the store joins one transaction, and
// brings the figures of every customer those writes touched up to date once, at the end,
// in that same transaction: folded from the facts it kept of the orders it wrote for the
// customers it created (figures_bulk.go), recomputed from the stored rows as reindex does
// for the others. Nothing is visible to readers until fn returns, and an error from fn or
// from any write inside it rolls all of it back.
//
// The demo imports each chunk of buyers this way: a buyer's orders, after-sales and
// feedback arrive in a dozen files, and refreshing the figures once instead of after each
// file's batches was most of the time of a 1 M-buyer demo. Inside Bulk, fn must write
// through ctx and from one goroutine at a time; a nested Bulk joins the outer one.
func (s *Store) Bulk(ctx context.Context, fn func(ctx context.Context) error) error {
	if s.bulkTx(ctx) != nil {
		return fn(ctx)
	}
	return s.inWriteTx(ctx, func(w *wtx) error {
		if !s.pg {
			restore, err := bulkCache(ctx, w)
			if err != nil {
				return err
			}
			defer restore()
		}
		w.deferred, w.bulk = map[int64]struct{}{}, newBulkFacts()
		if err := fn(context.WithValue(ctx, bulkKey{s}, w)); err != nil {
			return err
		}
		ids := make([]int64, 0, len(w.deferred))
		for id := range w.deferred {
			ids = append(ids, id) // refreshFigures sorts them
		}
		f := w.bulk
		w.deferred, w.bulk = nil, nil
		if f != nil {
			var err error
			if ids, err = s.foldBulk(ctx, w, f, ids); err != nil {
				return err
			}
		}
		return s.refreshFigures(ctx, w, ids)
	})
}

// deferFigures records customers whose figures a Bulk recomputes from the store at its end;
// it reports false outside a Bulk, where the caller refreshes them now.
func (w *wtx) deferFigures(ids ...int64) bool {
	if w.deferred == nil {
		return false
	}
	for _, id := range ids {
		if id != 0 {
			w.deferred[id] = struct{}{}
			if w.bulk != nil {
				w.bulk.dirty[id] = true
			}
		}
	}
	return true
}

// bulkCacheKiB is SQLite's page cache for the writer during a Bulk. Its transaction outgrows
// the usual cache many times over, and every dirty page pushed out is written to the log and
// read back from it later: 256 MiB instead of 64 took a tenth off the 300 000-buyer demo.
// Since a Bulk stopped reading its new customers' orders back (figures_bulk.go), 128 MiB
// does as well as 256 (1 M-buyer demo 3 min 8 s against 3 min 6 s) with 250 MiB less
// resident memory.
const bulkCacheKiB = 128 << 10

// bulkCache enlarges the writer's page cache for the transaction w and returns what puts the
// usual size back.
func bulkCache(ctx context.Context, w *wtx) (restore func(), err error) {
	var kib int64
	if err := w.Tx.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&kib); err != nil {
		return nil, err
	}
	if _, err := w.Tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, bulkCacheKiB)); err != nil {
		return nil, err
	}
	return func() { w.Tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = %d`, kib)) }, nil
}
