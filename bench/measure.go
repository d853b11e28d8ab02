// Package bench drives shopcrm's APIs and their SQL floors and reports latency percentiles;
// `shopcrm bench` is its command line.
package bench

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Result is what one shape measured at one concurrency.
type Result struct {
	Shape       string
	Concurrency int
	Requests    int
	Errors      int
	P50, P90    time.Duration
	P99, Max    time.Duration
	Throughput  float64 // requests per second
	FirstError  string
}

// Measure calls fn from concurrency goroutines until n calls were made or d has passed
// (whichever is first, after at least min calls), after warm-up calls that are not counted.
func Measure(ctx context.Context, shape string, concurrency, warmup, minCalls, n int, d time.Duration, fn func(ctx context.Context) error) Result {
	for i := 0; i < warmup; i++ {
		fn(ctx)
	}
	var (
		mu        sync.Mutex
		lat       = make([]time.Duration, 0, n)
		errs      atomic.Int64
		calls     atomic.Int64
		firstErr  atomic.Value
		wg        sync.WaitGroup
		deadline  = time.Now().Add(d)
		startedAt = time.Now()
	)
	for g := 0; g < concurrency; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make([]time.Duration, 0, n/concurrency+1)
			for {
				c := calls.Add(1)
				if c > int64(n) || (c > int64(minCalls) && time.Now().After(deadline)) || ctx.Err() != nil {
					break
				}
				t := time.Now()
				err := fn(ctx)
				local = append(local, time.Since(t))
				if err != nil {
					if errs.Add(1) == 1 {
						firstErr.Store(err.Error())
					}
				}
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(startedAt)
	r := Result{Shape: shape, Concurrency: concurrency, Requests: len(lat), Errors: int(errs.Load())}
	if v, ok := firstErr.Load().(string); ok {
		r.FirstError = v
	}
	if len(lat) == 0 {
		return r
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	r.P50, r.P90, r.P99, r.Max = pct(0.50), pct(0.90), pct(0.99), lat[len(lat)-1]
	r.Throughput = float64(len(lat)) / elapsed.Seconds()
	return r
}
