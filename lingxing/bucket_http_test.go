package lingxing_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/shopcrm/shopcrm"
	"github.com/shopcrm/shopcrm/lingxing"
	"github.com/shopcrm/shopcrm/lingxing/client"
)

// gatedShops holds every FindShops call until release is closed, so a test can keep a
// request in flight (holding its bucket token) for as long as it likes.
type gatedShops struct {
	shopcrm.ShopService
	entered chan struct{}
	release chan struct{}
}

func newGatedShops(s shopcrm.ShopService) *gatedShops {
	return &gatedShops{ShopService: s, entered: make(chan struct{}, 16), release: make(chan struct{})}
}

func (g *gatedShops) FindShops(ctx context.Context, f shopcrm.ShopFilter) ([]*shopcrm.Shop, int, error) {
	g.entered <- struct{}{}
	<-g.release
	return g.ShopService.FindShops(ctx, f)
}

// serveWith serves a second API over the env's store, with the server adjusted by set.
func serveWith(t *testing.T, e *env, set func(*lingxing.Server)) string {
	t.Helper()
	srv := &lingxing.Server{Apps: e.store, Shops: e.store, Rates: e.store, Buyers: e.store, AfterSales: e.store, Now: e.clock.Now}
	set(srv)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// newAppClient creates an app with its own bucket capacities.
func newAppClient(t *testing.T, e *env, baseURL string, caps map[string]int) *client.Client {
	t.Helper()
	c := appClient(t, e.store, baseURL, shopcrm.App{Capacities: caps})
	c.Now = e.clock.Now
	return c
}

// rawAsync sends a request in the background; the channel gets its reply code.
func rawAsync(ctx context.Context, c *client.Client, method, path string, body any) <-chan string {
	ch := make(chan string, 1)
	go func() { ch <- code(c.Raw(ctx, method, path, body)) }()
	return ch
}

// Two concurrent requests of one app on one path: the second is refused while the first
// holds the only token, and the token comes back when the first completes.
func TestBucketConcurrentRequests(t *testing.T) {
	e := newEnv(t)
	g := newGatedShops(e.store)
	url := serveWith(t, e, func(s *lingxing.Server) { s.Shops = g })
	ctx := context.Background()
	c := newAppClient(t, e, url, nil)
	if err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	first := rawAsync(ctx, c, "GET", sellers, nil)
	<-g.entered
	if got := code(clone(c).Raw(ctx, "GET", sellers, nil)); got != "3001008" {
		t.Fatalf("concurrent request: code %s, want 3001008", got)
	}
	// Another app's bucket is its own.
	other := newAppClient(t, e, url, nil)
	second := rawAsync(ctx, other, "GET", sellers, nil)
	<-g.entered
	close(g.release)
	if got := <-first; got != "0" {
		t.Fatalf("first request: code %s", got)
	}
	if got := <-second; got != "0" {
		t.Fatalf("other app: code %s", got)
	}
	if got := code(clone(c).Raw(ctx, "GET", sellers, nil)); got != "0" {
		t.Fatalf("after the first completed: code %s", got)
	}
}

// App.Capacities overrides the default capacity of a path; Server.Capacity the default.
func TestBucketCapacities(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name   string
		caps   map[string]int
		server int
		want   int
	}{
		{"AppOverride", map[string]int{sellers: 2}, 0, 2},
		{"ServerDefault", nil, 3, 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			g := newGatedShops(e.store)
			url := serveWith(t, e, func(s *lingxing.Server) { s.Shops, s.Capacity = g, tt.server })
			c := newAppClient(t, e, url, tt.caps)
			if err := c.Token(ctx); err != nil {
				t.Fatal(err)
			}
			var held []<-chan string
			for range tt.want {
				held = append(held, rawAsync(ctx, clone(c), "GET", sellers, nil))
				<-g.entered
			}
			if got := code(clone(c).Raw(ctx, "GET", sellers, nil)); got != "3001008" {
				t.Fatalf("request %d: code %s, want 3001008", tt.want+1, got)
			}
			close(g.release)
			for _, ch := range held {
				if got := <-ch; got != "0" {
					t.Fatalf("held request: code %s", got)
				}
			}
		})
	}
}

// The memory bucket on its own: capacity, release (twice is harmless), lease expiry.
func TestMemoryBucket(t *testing.T) {
	b := lingxing.NewMemoryBucket()
	ctx := context.Background()
	r1, err := b.Take(ctx, "k", 2, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Take(ctx, "k", 2, 30*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Take(ctx, "k", 2, time.Minute); shopcrm.ErrorCode(err) != shopcrm.ERATELIMITED {
		t.Fatalf("third take: %v", err)
	}
	r1()
	r1()
	r3, err := b.Take(ctx, "k", 2, time.Minute)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	time.Sleep(60 * time.Millisecond)
	if _, err := b.Take(ctx, "k", 2, time.Minute); err != nil {
		t.Fatalf("after the lease: %v", err)
	}
	r3()
}
