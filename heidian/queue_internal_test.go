package heidian

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Waiters are let in the order they came, never more than the queue's size at once, and a
// waiter whose request is cancelled stops waiting.
func TestStoreQueue(t *testing.T) {
	q := newStoreQueue(2)
	ctx := context.Background()
	q.enter(ctx)
	q.enter(ctx)

	order := make(chan int, 8)
	for i := range 8 {
		go func() {
			q.enter(ctx)
			order <- i
		}()
		time.Sleep(5 * time.Millisecond) // waiter i is blocked before i+1 arrives
	}
	select {
	case i := <-order:
		t.Fatalf("waiter %d got in while both places were taken", i)
	default:
	}
	for want := range 8 {
		q.leave()
		if got := <-order; got != want {
			t.Fatalf("waiter %d got in at turn %d", got, want)
		}
	}

	cancelled, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- q.enter(cancelled) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled wait returned %v", err)
	}
}
