package lingxing

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestOneOf: at most n requests run at once; the others wait, and one whose client gives
// up while waiting never runs.
func TestOneOf(t *testing.T) {
	var running, most, served atomic.Int32
	release := make(chan struct{})
	h := oneOf(2, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		running.Add(-1)
		served.Add(1)
	}))
	done := make(chan struct{})
	for i := 0; i < 5; i++ {
		go func() {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil))
			done <- struct{}{}
		}()
	}
	deadline := time.Now().Add(5 * time.Second)
	for running.Load() < 2 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // would let a third in, were the limit broken
	if n := running.Load(); n != 2 {
		t.Fatalf("%d running, want 2", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", nil).WithContext(ctx))
	close(release)
	for i := 0; i < 5; i++ {
		<-done
	}
	if most.Load() != 2 || served.Load() != 5 {
		t.Fatalf("at most %d at once, %d served; want 2 and 5 (the abandoned one not served)", most.Load(), served.Load())
	}
}
