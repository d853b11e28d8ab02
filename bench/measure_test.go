package bench_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm/bench"
)

func TestMeasurePercentiles(t *testing.T) {
	// 100 calls whose k-th (1-based, in call order) sleeps k×10µs: with one goroutine the sorted
	// latencies follow the call order, so p50 is the 51st call, p99 the 100th.
	k := 0
	r := bench.Measure(context.Background(), "sleep", 1, 0, 100, 100, time.Minute, func(context.Context) error {
		k++
		time.Sleep(time.Duration(k) * 10 * time.Microsecond)
		if k == 7 {
			return errors.New("seventh fails")
		}
		return nil
	})
	if r.Requests != 100 || r.Errors != 1 || r.FirstError != "seventh fails" {
		t.Fatalf("requests %d errors %d first %q", r.Requests, r.Errors, r.FirstError)
	}
	if r.P50 < 510*time.Microsecond || r.P99 < time.Millisecond || r.Max < r.P99 || r.P90 < r.P50 {
		t.Fatalf("percentiles out of order: %+v", r)
	}
}

func TestPeakRSSOfSelf(t *testing.T) {
	// A running Go test binary holds at least a few MiB; its peak is at least its current size.
	now := bench.RSS(os.Getpid())
	if peak := bench.PeakRSS(os.Getpid()); now < 1<<20 || peak < now {
		t.Fatalf("peak %d, current %d", peak, now)
	}
	if got := bench.RSS(999999999); got != 0 {
		t.Fatalf("RSS of a missing process = %d, want 0", got)
	}
}
