package heidian

import (
	"context"
	"runtime"
)

// storeQueue lets a bounded number of requests read the store at once and makes the others
// wait in the order they came: goroutines blocked sending on a channel are woken first in,
// first out. Without it every request went straight to the connection pool, and database/sql
// hands a freed connection to a random waiter; with 64 clients on 4 connections a request
// could lose that draw hundreds of times, so the 99th percentile of a segment page was 4.7×
// its median.
type storeQueue chan struct{}

func newStoreQueue(n int) storeQueue {
	if n <= 0 {
		n = 2 * runtime.GOMAXPROCS(0)
	}
	return make(storeQueue, n)
}

// enter waits for a turn; the caller must leave when it has read what it needs.
func (q storeQueue) enter(ctx context.Context) error {
	select {
	case q <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (q storeQueue) leave() { <-q }
